using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>The README's walk-through, through the real CLI against a real server: deploy the examples, invoke, logs, versions, aliases.</summary>
public sealed class CliEndToEndTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public CliEndToEndTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) =>
        CliInProcess.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()]);

    [Fact]
    public async Task DeployExamples_ThenInvokeEachRuntime_ReadLogs_PublishAndMoveAnAlias()
    {
        var deploy = await RunAsync("deploy", "-f", "examples/nimbus.yaml");
        Assert.True(deploy.Exit == 0, deploy.Error);
        Assert.Contains("deployed 5 functions", deploy.Error + deploy.Out);

        // Every example function has its default alarms and an SLO with no configuration; orders also its own alarm.
        var examples = new[] { "hello-dotnet", "hello-node", "hello-python", "hello-provided", "orders" };
        var alarms = System.Text.Json.JsonDocument.Parse((await RunAsync("alarms", "list", "--output", "json")).Out).RootElement
            .EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        foreach (var function in examples)
        {
            Assert.Contains($"{function}-error-rate", alarms);
            Assert.Contains($"{function}-availability-page-1h", alarms);
        }

        Assert.Contains("orders-slow", alarms);
        var slos = System.Text.Json.JsonDocument.Parse((await RunAsync("slo", "status", "--output", "json")).Out).RootElement
            .EnumerateArray().Where(s => examples.Contains(s.GetProperty("function").GetString()))
            .Select(s => (s.GetProperty("function").GetString(), s.GetProperty("name").GetString(), s.GetProperty("objective").GetDouble(), s.GetProperty("window").GetString()))
            .ToList();
        Assert.Equal(
            [
                ("hello-dotnet", "availability", 99.9, "30d"), ("hello-node", "availability", 99.9, "30d"), ("hello-provided", "availability", 99.9, "30d"),
                ("hello-python", "availability", 99.5, "7d"), ("orders", "availability", 99.9, "30d"), ("orders", "fast", 99, "30d"),
            ],
            slos.Order());

        foreach (var (function, expected) in new[] { ("hello-node", "Hello, Ada!"), ("hello-python", "Hello, Ada!"), ("hello-dotnet", "Hello, Ada!"), ("hello-provided", "Hello from bash") })
        {
            var invoke = await RunAsync("invoke", function, "--payload", """{"name":"Ada"}""");
            Assert.True(invoke.Exit == 0, $"{function}: {invoke.Error}");
            Assert.Contains(expected, invoke.Out);
        }

        var json = await RunAsync("invoke", "hello-node", "--payload", """{"name":"Bo"}""", "--output", "json");
        var requestId = System.Text.Json.JsonDocument.Parse(json.Out).RootElement.GetProperty("requestId").GetString();
        var logs = await LogsEventuallyAsync("hello-node", requestId!);
        Assert.Contains($"START RequestId: {requestId}", logs);
        Assert.Contains("REPORT RequestId:", logs);

        var publish = await RunAsync("versions", "publish", "hello-node");
        Assert.Equal(0, publish.Exit);
        Assert.Contains("published version 1", publish.Out + publish.Error);
        Assert.Equal(0, (await RunAsync("alias", "set", "hello-node", "live", "1")).Exit);
        var live = await RunAsync("invoke", "hello-node:live", "--payload", """{"name":"Live"}""", "--output", "json");
        Assert.Equal("1", System.Text.Json.JsonDocument.Parse(live.Out).RootElement.GetProperty("executedVersion").GetString());

        var badAlias = await RunAsync("alias", "set", "hello-node", "live", "9");
        Assert.Equal(2, badAlias.Exit);
        Assert.Contains("version 9 of 'hello-node' does not exist", badAlias.Error);
    }

    [Fact]
    public async Task Invoke_UnknownFunction_ExitsWithNotFoundAndOneLine()
    {
        var result = await RunAsync("invoke", "no-such-function");

        Assert.Equal(4, result.Exit);
        Assert.Equal("nimbus: Function not found: no-such-function", result.Error.Trim());
    }

    [Fact]
    public async Task Deploy_InvalidManifest_NamesTheLineAndDeploysNothing()
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(manifest, "functions:\n  broken-fn:\n    runtime: node\n    handler: index.handler\n    code: ./x\n    memroy: 128\n");

        var result = await RunAsync("deploy", "-f", manifest);

        Assert.Equal(2, result.Exit);
        Assert.Contains(":6:", result.Error);
        Assert.Contains("did you mean 'memory'", result.Error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/functions/broken-fn")).StatusCode);
    }

    [Fact]
    public async Task Up_OnAPortInUse_ExitsWithOneLineSayingSo()
    {
        var port = _nimbus.Server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, _, error) = await CliInProcess.RunAsync(["up", "--port", port, "--data-dir", Path.Combine(Path.GetTempPath(), "nimbus-busy-" + port)]);

        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"nimbus: port {port} on 127.0.0.1 is already in use", line);
    }

    private async Task<string> LogsEventuallyAsync(string function, string requestId)
    {
        var text = "";
        await NimbusTestServer.EventuallyAsync(async () =>
        {
            text = (await RunAsync("logs", function, "--request", requestId)).Out;
            return text.Contains("REPORT", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
        return text;
    }
}
