using System.Text.Json;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Tests.Gateway;

/// <summary>One bad stored row never stops routing: it is left out and the rest is served.</summary>
public sealed class RoutingStateTests : IAsyncLifetime
{
    private TwoNodeStore _stores = null!;

    public async Task InitializeAsync() => _stores = await TwoNodeStore.OpenAsync();

    public async Task DisposeAsync() => await _stores.DisposeAsync();

    [Fact]
    public async Task Reload_StoredFunctionWithTenThousandSegmentRoute_IsSkipped_OthersAreServed()
    {
        var ct = CancellationToken.None;
        await _stores.NodeA.UpsertFunctionConfigAsync(new FunctionConfig { Name = "good", Runtime = RuntimeNames.Provided, Routes = [new("GET", "/good")] }, ct);
        // What an older build saved before route depth was limited: it once killed every start of the server.
        var deep = "/" + string.Join('/', Enumerable.Repeat("a", 10_000));
        var config = JsonSerializer.Serialize(new { name = "deep", runtime = "provided", handler = "", memoryMb = 128, timeoutSeconds = 3.0,
            environment = new Dictionary<string, string>(), routes = new[] { new { method = "GET", path = deep } } });
        await _stores.ExecuteAsync(
            "INSERT INTO functions (name, config, code_size, revision, created_at, updated_at) VALUES ('deep', $config, 0, 1, 0, 0)", ("$config", config));
        var routing = new RoutingState(_stores.NodeA);

        await routing.ReloadAsync(ct);

        Assert.NotNull(routing.Current.GetFunction("good"));
        Assert.Null(routing.Current.GetFunction("deep"));
        Assert.True(routing.Current.Routes.TryMatch("GET", "/good", out var match));
        Assert.Equal("good", match.FunctionName);
    }

    [Fact]
    public async Task Reload_UnreadableRow_IsSkipped_OthersAreServed()
    {
        var ct = CancellationToken.None;
        await _stores.NodeA.UpsertFunctionConfigAsync(new FunctionConfig { Name = "good", Runtime = RuntimeNames.Provided }, ct);
        await _stores.ExecuteAsync("INSERT INTO functions (name, config, code_size, revision, created_at, updated_at) VALUES ('garbled', '{\"name\":', 0, 1, 0, 0)");
        var routing = new RoutingState(_stores.NodeA);

        await routing.ReloadAsync(ct);

        Assert.Equal(["good"], routing.Current.Functions.Select(f => f.Function.Name));
    }
}
