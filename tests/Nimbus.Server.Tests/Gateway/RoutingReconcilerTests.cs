using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Api;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Tests.Gateway;

/// <summary>Routing follows the store, whoever wrote it: a second node sees a change after one poll of fake time.</summary>
public sealed class RoutingReconcilerTests : IAsyncLifetime
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private TwoNodeStore _stores = null!;

    public async Task InitializeAsync() => _stores = await TwoNodeStore.OpenAsync();

    public async Task DisposeAsync() => await _stores.DisposeAsync();

    [Fact]
    public async Task WriteThroughOneNode_IsServedByTheOtherNodesRouting_AfterOnePoll()
    {
        var routingA = new RoutingState(_stores.NodeA);
        var routingB = new RoutingState(_stores.NodeB);
        await routingA.ReloadAsync(CancellationToken.None);
        await routingB.ReloadAsync(CancellationToken.None);
        using var reconcilerB = new RoutingReconciler(routingB, _stores.Time, NullLogger<RoutingReconciler>.Instance);
        var polled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        reconcilerB.Polled += reloaded => polled.TrySetResult(reloaded);
        await reconcilerB.StartAsync(CancellationToken.None);

        var control = new ControlPlane(_stores.NodeA, routingA, _stores.Time);
        var (put, error) = await control.PutFunctionAsync("orders",
            new FunctionConfigRequest { Runtime = RuntimeNames.Node, Handler = "index.handler", Routes = [new("GET", "/orders")] }, CancellationToken.None);

        Assert.Null(error);
        Assert.True(put!.Created);
        Assert.True(routingA.Current.Routes.TryMatch("GET", "/orders", out _), "node A reloads at once after its own write");
        Assert.False(routingB.Current.Routes.TryMatch("GET", "/orders", out _), "node B has not polled yet");

        _stores.Time.Advance(reconcilerB.Interval);

        Assert.True(await polled.Task.WaitAsync(Safety), "the poll after the write reloads");
        Assert.True(routingB.Current.Routes.TryMatch("GET", "/orders", out var match));
        Assert.Equal("orders", match.FunctionName);
        Assert.Equal(routingA.Current.Generation, routingB.Current.Generation);
        await reconcilerB.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Poll_WhenNoNodeWrote_DoesNotReload()
    {
        await _stores.NodeA.UpsertFunctionConfigAsync(new FunctionConfig { Name = "fn", Runtime = RuntimeNames.Provided }, CancellationToken.None);
        var routing = new RoutingState(_stores.NodeB);
        await routing.ReloadAsync(CancellationToken.None);
        var reloads = 0;
        routing.Changed += _ => reloads++;
        using var reconciler = new RoutingReconciler(routing, _stores.Time, NullLogger<RoutingReconciler>.Instance);
        var polled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        reconciler.Polled += reloaded => polled.TrySetResult(reloaded);
        await reconciler.StartAsync(CancellationToken.None);

        _stores.Time.Advance(reconciler.Interval);

        Assert.False(await polled.Task.WaitAsync(Safety));
        Assert.Equal(0, reloads);
        await reconciler.StopAsync(CancellationToken.None);
    }
}
