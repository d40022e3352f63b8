using System.Text.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;

namespace Nimbus.Cli.Tests.Commands;

/// <summary><c>nimbus plan</c> against canned server state: what it prints, and that it changes nothing.</summary>
public sealed class PlanCommandTests : IAsyncLifetime
{
    private const string Manifest = """
        functions:
          orders:
            runtime: node
            handler: index.handler
            code: ./orders
            memory: 256
            environment:
              TABLE: orders-v2
            routes:
              - GET /orders
          fresh:
            runtime: node
            handler: index.handler
            code: ./fresh
          same:
            runtime: node
            handler: index.handler
            code: ./same
        """;

    private readonly TempDirectory _directory = new();
    private StubApiServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubApiServer.StartAsync();
        foreach (var name in new[] { "orders", "fresh", "same" })
        {
            _directory.Write($"{name}/index.js", $"exports.handler = async () => '{name}';\n");
        }

        _directory.Write("nimbus.yaml", Manifest);
    }

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _directory.Dispose();
    }

    private string Sha(string name) => DeterministicZip.Sha256Hex(DeterministicZip.Create(Path.Combine(_directory.Path, name)));

    private static FunctionInfo Info(string name, string? sha, int memory = 128, Dictionary<string, string>? environment = null, HttpRouteConfig[]? routes = null) =>
        new(name, "node", "index.handler", memory, 3, environment ?? [], null, null, routes ?? [], sha, 100, 1, Samples.Created, Samples.Created);

    private void Deployed(params FunctionInfo[] functions) => _stub.On("GET", "/api/v1/functions", 200, Samples.Json(functions));

    private Task<CliRun> Plan(params string[] args) =>
        CliRun.RunAsync(["plan", .. args, "--url", _stub.BaseAddress.ToString()], workingDirectory: _directory.Path);

    [Fact]
    public async Task Plan_ShowsCreatesUpdatesFieldByFieldAndUnmanagedFunctions_AndChangesNothing()
    {
        Deployed(
            Info("orders", "0123456789abcdef", environment: new() { ["TABLE"] = "orders" }),
            Info("same", Sha("same")),
            Info("legacy", "ffff"));

        var run = await Plan();

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            "~ orders (update)\n" +
            $"    code               sha256 01234567 -> {Sha("orders")[..8]}\n" +
            "    memory             128 MB -> 256 MB\n" +
            "    environment.TABLE  \"orders\" -> \"orders-v2\"\n" +
            "    + route            GET /orders -> $LATEST\n" +
            "+ fresh (create)\n" +
            $"    code     sha256 {Sha("fresh")[..8]}\n" +
            "    runtime  node\n" +
            "    handler  \"index.handler\"\n" +
            "    memory   128 MB\n" +
            "    timeout  3 s\n" +
            "= same (no changes)\n" +
            "  legacy (deployed, not in the manifest: left alone)\n" +
            "Plan: 1 to create, 1 to update, 1 unchanged, 1 not in the manifest.\n",
            run.Out);
        Assert.All(_stub.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task DetailedExitCode_Is2WithChanges_And0WithNone()
    {
        Deployed(Info("orders", "0000"), Info("same", Sha("same")));

        var changes = await Plan("--detailed-exitcode");
        var none = await Plan("--detailed-exitcode", "--function", "same");

        Assert.Equal(2, changes.ExitCode);
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("Plan: 0 to create, 0 to update, 1 unchanged.", none.Out);
    }

    [Fact]
    public async Task WithoutDetailedExitCode_ChangesStillExit0()
    {
        Deployed();

        Assert.Equal(0, (await Plan()).ExitCode);
    }

    [Fact]
    public async Task DetailedExitCode_InvalidManifest_Exits1_SoThat2AlwaysMeansChanges()
    {
        _directory.Write("nimbus.yaml", "functions:\n  orders:\n    runtime: node\n    code: ./orders\n    memroy: 1\n");

        var run = await Plan("--detailed-exitcode");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nimbus.yaml:5: functions.orders.memroy: unknown key 'memroy'", run.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task JsonOutput_IsThePlanRecord()
    {
        Deployed(Info("same", Sha("same")));

        var run = await Plan("-o", "json", "--function", "same");

        using var document = JsonDocument.Parse(run.Out);
        var function = Assert.Single(document.RootElement.GetProperty("functions").EnumerateArray());
        Assert.Equal("same", function.GetProperty("name").GetString());
        Assert.Equal("Unchanged", function.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, function.GetProperty("code").ValueKind);
        Assert.False(document.RootElement.GetProperty("hasChanges").GetBoolean());
    }

    [Fact]
    public async Task AliasMovedByADeploymentBlock_ShowsTheStrategy()
    {
        _directory.Write("nimbus.yaml", """
            functions:
              orders:
                runtime: node
                handler: index.handler
                code: ./orders
                alias: live
                deployment: {strategy: Canary10Percent5Minutes}
            """);
        Deployed(Info("orders", "0123456789abcdef"));
        _stub.On("GET", "/api/v1/functions/orders/versions", 200, Samples.Json(new[]
            {
                new VersionInfo("orders", 1, "0123456789abcdef", 100, null, Samples.Created,
                    new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" }),
            }))
            .On("GET", "/api/v1/functions/orders/aliases", 200, Samples.Json(new[] { Samples.Alias("orders", "live", 1) }));

        var run = await Plan();

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("    alias live  1 -> 2 (new version) by deployment (Canary10Percent5Minutes)\n", run.Out, StringComparison.Ordinal);
    }
}
