using System.IO.Compression;
using System.Text.Json;
using Nimbus.Cli.Api;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Packaging;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Tests.Deploy;

public sealed class ManifestDeployerTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _progress = new();
    private StubApiServer _stub = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubApiServer.StartAsync();
        _stub.On("GET", "/api/v1/functions", 200, "[]");
        _api = ApiClient.Create(_stub.BaseAddress);
    }

    /// <summary>The requests that change something: planning reads (GET) before it writes.</summary>
    private List<RecordedRequest> Changes => [.. _stub.Requests.Where(r => r.Method != "GET")];

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _stub.DisposeAsync();
        _directory.Dispose();
    }

    private ManifestDeployer Deployer() => new(_api, new FunctionPackager(_progress), _progress);

    private FunctionManifest Function(string name, string? alias = null, int? provisioned = null, string? build = null, IReadOnlyList<HttpRouteConfig>? routes = null)
    {
        _directory.Write($"{name}/index.js", $"exports.handler = async () => '{name}';\n");
        var config = new FunctionConfig { Name = name, Runtime = "node", Handler = "index.handler", Description = $"{name} fn", Routes = routes ?? [] };
        return new FunctionManifest(config, Path.Combine(_directory.Path, name), alias, provisioned, build, 1);
    }

    private void AnswerDeployOf(string name, bool created = true, int version = 3)
    {
        _stub.On("PUT", $"/api/v1/functions/{name}", 201, Samples.Json(Samples.Function(name)))
            .On("PUT", $"/api/v1/functions/{name}/code", req => new StubResponse(200, Samples.Json(
                new CodeUploadResult(name, DeterministicZip.Sha256Hex(req.Body), req.Body.Length, created, 1))))
            .On("POST", $"/api/v1/functions/{name}/versions", 201, Samples.Json(Samples.Version(name, version)))
            .On("PUT", $"/api/v1/functions/{name}/aliases/live", 200, Samples.Json(Samples.Alias(name, "live", version)))
            .On("PUT", $"/api/v1/functions/{name}/provisioned-concurrency/live", 200, "{}")
            .On("PUT", $"/api/v1/functions/{name}/provisioned-concurrency/$LATEST", 200, "{}");
    }

    [Fact]
    public async Task FunctionWithAliasAndProvisionedConcurrency_ConfiguresUploadsPublishesAndPointsTheAlias()
    {
        AnswerDeployOf("orders", version: 3);
        var manifest = new NimbusManifest([Function("orders", alias: "live", provisioned: 2)], _directory.Path);

        var count = await Deployer().DeployAsync(manifest, null, CancellationToken.None);

        Assert.Equal(1, count);
        Assert.Equal(
            [
                "GET /api/v1/functions",
                "PUT /api/v1/functions/orders",
                "PUT /api/v1/functions/orders/code",
                "POST /api/v1/functions/orders/versions",
                "PUT /api/v1/functions/orders/aliases/live",
                "PUT /api/v1/functions/orders/provisioned-concurrency/live",
            ],
            _stub.Requests.Select(r => r.ToString()));
        Assert.Contains("\"version\":\"3\"", _stub.Requests[4].BodyText);
        Assert.Equal("{\"count\":2}", _stub.Requests[5].BodyText);
        var lines = _progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipWhile(l => !l.StartsWith("orders:", StringComparison.Ordinal)).ToArray();
        Assert.Matches(@"^orders: uploaded \d+ B \(sha256 [0-9a-f]{8}\)$", lines[0]);
        Assert.Equal(["orders: published version 3", "orders: alias live -> 3", "orders: provisioned concurrency 2 on live"], lines[1..]);
    }

    [Fact]
    public async Task UploadedPackage_IsTheDeterministicZipOfTheCodeDirectory()
    {
        AnswerDeployOf("orders");
        var function = Function("orders");

        await Deployer().DeployAsync(new NimbusManifest([function], _directory.Path), null, CancellationToken.None);

        var upload = _stub.Requests.Single(r => r.Path.EndsWith("/code", StringComparison.Ordinal));
        Assert.Equal(DeterministicZip.Create(function.CodePath), upload.Body);
    }

    [Fact]
    public async Task FunctionWithoutAlias_StaysOnLatest_AndReportsAnUnchangedPackage()
    {
        AnswerDeployOf("hello", created: false);

        await Deployer().DeployAsync(new NimbusManifest([Function("hello", provisioned: 1)], _directory.Path), null, CancellationToken.None);

        Assert.Equal(
            ["PUT /api/v1/functions/hello", "PUT /api/v1/functions/hello/code", "PUT /api/v1/functions/hello/provisioned-concurrency/$LATEST"],
            Changes.Select(r => r.ToString()));
        Assert.Contains(", unchanged)", _progress.ToString());
        Assert.Contains("hello: provisioned concurrency 1 on $LATEST", _progress.ToString());
    }

    [Fact]
    public async Task ConfigSent_IsTheManifestConfig_WithRoutesPointedAtTheAlias()
    {
        AnswerDeployOf("orders");
        var routes = new[] { new HttpRouteConfig("GET", "/orders"), new HttpRouteConfig("POST", "/orders", "3") };

        await Deployer().DeployAsync(new NimbusManifest([Function("orders", alias: "live", routes: routes)], _directory.Path), null, CancellationToken.None);

        var sent = JsonSerializer.Deserialize<FunctionConfigRequest>(Changes[0].Body, ApiJson.Options)!;
        Assert.Equal("node", sent.Runtime);
        Assert.Equal("index.handler", sent.Handler);
        Assert.Equal("orders fn", sent.Description);
        Assert.Equal([new HttpRouteConfig("GET", "/orders", "live"), new HttpRouteConfig("POST", "/orders", "3")], sent.Routes);
    }

    [Fact]
    public async Task BuildCommand_RunsInTheCodeDirectory_BeforePackaging()
    {
        AnswerDeployOf("built");
        var function = Function("built", build: "mkdir -p dist && echo made > dist/out.txt");

        await Deployer().DeployAsync(new NimbusManifest([function], _directory.Path), null, CancellationToken.None);

        var upload = _stub.Requests.Single(r => r.Path.EndsWith("/code", StringComparison.Ordinal));
        using var archive = new ZipArchive(new MemoryStream(upload.Body));
        Assert.Equal(["dist/out.txt", "index.js"], archive.Entries.Select(e => e.FullName));
        Assert.Contains("built: building…", _progress.ToString());
    }

    [Fact]
    public async Task FailingBuild_DeploysNothing_EvenForFunctionsBeforeIt()
    {
        AnswerDeployOf("first");
        AnswerDeployOf("broken");
        var manifest = new NimbusManifest([Function("first"), Function("broken", build: "echo compiler says no >&2; exit 3")], _directory.Path);

        var error = await Assert.ThrowsAsync<CliException>(() => Deployer().DeployAsync(manifest, null, CancellationToken.None));

        Assert.Equal(ExitCodes.Failed, error.ExitCode);
        Assert.Contains("broken: build failed (sh exited with code 3)", error.Message);
        Assert.Contains("compiler says no", _progress.ToString());
        Assert.Empty(Changes);
    }

    [Fact]
    public async Task OnlyFunction_DeploysJustThatOne()
    {
        AnswerDeployOf("a");
        AnswerDeployOf("b");

        await Deployer().DeployAsync(new NimbusManifest([Function("a"), Function("b")], _directory.Path), "b", CancellationToken.None);

        Assert.NotEmpty(Changes);
        Assert.All(Changes, r => Assert.StartsWith("/api/v1/functions/b", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownOnlyFunction_IsAUsageErrorNamingTheKnownOnes()
    {
        var error = await Assert.ThrowsAsync<CliException>(() =>
            Deployer().DeployAsync(new NimbusManifest([Function("a"), Function("b")], _directory.Path), "c", CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("no function 'c' (it has a, b)", error.Message);
    }

    [Fact]
    public async Task MissingCodeDirectory_NamesTheLineOfItsCodeKey_AndDeploysNothing()
    {
        var function = Function("gone") with
        {
            CodePath = Path.Combine(_directory.Path, "nowhere"),
            KeyLines = new Dictionary<string, int> { ["code"] = 7 },
        };

        var error = await Assert.ThrowsAsync<CliException>(() =>
            Deployer().DeployAsync(new NimbusManifest([Function("fine"), function], _directory.Path), null, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("nimbus.yaml is invalid (1 error); nothing was deployed", error.Message);
        Assert.StartsWith("nimbus.yaml:7: functions.gone.code: nowhere does not exist", _progress.ToString());
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task RouteServedByAFunctionOutsideTheDeploy_IsReportedWithItsLine_BeforeAnyChange()
    {
        var taken = Samples.Function("legacy") with { Routes = [new HttpRouteConfig("GET", "/orders/{id}")] };
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { taken }));
        AnswerDeployOf("first");
        AnswerDeployOf("orders");
        var orders = Function("orders", routes: [new HttpRouteConfig("GET", "/orders/{orderId}")]) with
        {
            KeyLines = new Dictionary<string, int> { ["routes[0]"] = 12 },
        };

        var error = await Assert.ThrowsAsync<CliException>(() =>
            Deployer().DeployAsync(new NimbusManifest([Function("first"), orders], _directory.Path), null, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(
            "nimbus.yaml:12: functions.orders.routes[0]: route 'GET /orders/{orderId}' is already served by deployed function 'legacy'",
            _progress.ToString());
        Assert.Empty(Changes);
    }

    [Fact]
    public async Task FunctionAsDeployed_IsLeftUntouched_AndTheOthersAreApplied()
    {
        var same = Function("same");
        var sha = DeterministicZip.Sha256Hex(DeterministicZip.Create(same.CodePath));
        var deployed = new FunctionInfo(
            "same", "node", "index.handler", 128, 3, new Dictionary<string, string>(), null, "same fn", [], sha, 100, 1, Samples.Created, Samples.Created);
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { deployed }));
        AnswerDeployOf("fresh");

        var count = await Deployer().DeployAsync(new NimbusManifest([same, Function("fresh")], _directory.Path), null, CancellationToken.None);

        Assert.Equal(1, count);
        Assert.All(Changes, r => Assert.StartsWith("/api/v1/functions/fresh", r.Path, StringComparison.Ordinal));
        Assert.Contains("= same (no changes)\n+ fresh (create)\n", _progress.ToString());
    }

    [Fact]
    public async Task DotnetFunctionWithSeveralProjects_AsksForABuildCommand()
    {
        var function = Function("svc");
        function = function with { Config = function.Config with { Runtime = RuntimeNames.Dotnet } };
        _directory.Write("svc/A.csproj", "<Project />");
        _directory.Write("svc/B.csproj", "<Project />");

        var error = await Assert.ThrowsAsync<CliException>(() =>
            Deployer().DeployAsync(new NimbusManifest([function], _directory.Path), null, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("several .csproj", error.Message);
    }

    [Fact]
    public async Task ServerRejection_StopsTheDeploy_WithTheProblem()
    {
        _stub.On("PUT", "/api/v1/functions/orders", 400, Samples.Problem(400, "Invalid function", "memoryMb must be from 64 to 10240"));

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            Deployer().DeployAsync(new NimbusManifest([Function("orders")], _directory.Path), null, CancellationToken.None));

        Assert.Equal("Invalid function: memoryMb must be from 64 to 10240", error.Message);
        Assert.Single(Changes);
    }

    [Fact]
    public async Task RouteMovingBetweenFunctions_IsReleasedBeforeItIsTaken_WhateverTheManifestOrder()
    {
        var giver = Function("giver");
        var holding = new FunctionInfo(
            "giver", "node", "index.handler", 128, 3, new Dictionary<string, string>(), null, "giver fn",
            [new HttpRouteConfig("GET", "/moving")], "old", 100, 1, Samples.Created, Samples.Created);
        _stub.On("GET", "/api/v1/functions", 200, Samples.Json(new[] { holding }));
        AnswerDeployOf("taker");
        AnswerDeployOf("giver");
        var taker = Function("taker", routes: [new HttpRouteConfig("GET", "/moving")]);

        await Deployer().DeployAsync(new NimbusManifest([taker, giver], _directory.Path), null, CancellationToken.None);

        Assert.Equal(
            ["PUT /api/v1/functions/giver", "PUT /api/v1/functions/giver/code", "PUT /api/v1/functions/taker", "PUT /api/v1/functions/taker/code"],
            Changes.Select(r => r.ToString()));
    }

    [Fact]
    public void ManifestErrors_PointAtFileAndLine()
    {
        Assert.Equal(
            "nimbus.yaml:12: functions.orders.memory: must be from 64 to 10240",
            ManifestLoader.FormatError("nimbus.yaml", new ManifestError("functions.orders.memory", "must be from 64 to 10240", 12)));
        Assert.Equal("nimbus.yaml: functions: is required", ManifestLoader.FormatError("nimbus.yaml", new ManifestError("functions", "is required", null)));
    }
}
