using Nimbus.Core.Deployments.Shadow;
using Nimbus.Core.Invocations;
using Nimbus.Server.Deployments.Shadow;

namespace Nimbus.Server.Tests.Deployments.Shadow;

public sealed class ShadowQueueTests
{
    [Fact]
    public void Offer_FullQueue_DropsTheCopyAtOnceAndCountsIt()
    {
        var reports = new ShadowReports();
        var queue = new ShadowQueue(reports);
        var route = new ShadowRoute("d-1", 2, new ShadowSampler(100));

        var accepted = Enumerable.Range(0, ShadowQueue.Capacity + 3).Count(i => queue.Offer(Copy(route, $"r{i}")));

        var tally = reports.For("d-1").Snapshot();
        Assert.Equal(ShadowQueue.Capacity, accepted);
        Assert.Equal((ShadowQueue.Capacity + 3L, 3L), (tally.Mirrored, tally.Dropped));
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Equal("r0", first.LiveRequestId);
    }

    [Fact]
    public void CallGuard_SuppressesOnlyRunningShadowExecutions_AndCountsThem()
    {
        var reports = new ShadowReports();
        var guard = new ShadowCallGuard(reports);
        guard.Begin("shadow-1", "d-1");

        Assert.True(guard.TrySuppress("shadow-1"));
        Assert.False(guard.TrySuppress("live-1"));
        Assert.False(guard.TrySuppress(null));
        guard.End("shadow-1");
        Assert.False(guard.TrySuppress("shadow-1"));
        Assert.Equal(1, reports.For("d-1").Snapshot().SuppressedCalls);
    }

    private static ShadowCopy Copy(ShadowRoute route, string requestId) =>
        new(route, "orders", requestId, "{}"u8.ToArray(), null, new ShadowOutcome(InvocationOutcome.Success, null, "{}"u8.ToArray(), 1));
}
