using Nimbus.Core.Functions;
using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>Scale to zero and provisioned concurrency, stepped with fake time.</summary>
public sealed class InstanceMonitorTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Reconcile_StopsAnIdleInstanceExactlyAtTheIdleTimeout_AndNotBefore()
    {
        var harness = new DispatcherHarness(idleTimeout: IdleTimeout);
        var (_, worker) = await harness.InvokeColdAsync(harness.Deploy(DispatcherHarness.Config("sleepy")));

        harness.Time.Advance(IdleTimeout - TimeSpan.FromTicks(1));
        await harness.Monitor.ReconcileAsync(CancellationToken.None);
        Assert.Equal(InstanceState.Idle, worker.Instance.State);
        Assert.Equal(0, worker.Kills);

        harness.Time.Advance(TimeSpan.FromTicks(1));
        await harness.Monitor.ReconcileAsync(CancellationToken.None);

        Assert.Equal(1, worker.Kills);
        Assert.Equal(InstanceState.Dead, worker.Instance.State);
        Assert.Empty(harness.Dispatcher.AllInstances());
    }

    [Fact]
    public async Task Reconcile_CountsIdleTimeFromTheLastInvocation_NotFromTheStart()
    {
        var harness = new DispatcherHarness(idleTimeout: IdleTimeout);
        var target = harness.Deploy(DispatcherHarness.Config("used"));
        var (_, worker) = await harness.InvokeColdAsync(target);
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var call = harness.Invoke(target);
        worker.Respond(await worker.NextAsync(), "1");
        await DispatcherHarness.Completed(call);

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Monitor.ReconcileAsync(CancellationToken.None);
        Assert.Equal(InstanceState.Idle, worker.Instance.State);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Monitor.ReconcileAsync(CancellationToken.None);
        Assert.Equal(InstanceState.Dead, worker.Instance.State);
    }

    [Fact]
    public async Task ScaleLoop_RunsEverySecondOnTheFakeClock_AndStopsTheIdleInstance()
    {
        var harness = new DispatcherHarness(idleTimeout: TimeSpan.FromSeconds(3));
        var (_, worker) = await harness.InvokeColdAsync(harness.Deploy(DispatcherHarness.Config("loop")));
        await harness.Monitor.StartAsync(CancellationToken.None);
        try
        {
            // The loop's first pass ran at start; its one-second wait is a fake timer, so moving the clock past the idle
            // timeout makes the next pass stop the instance.
            harness.Time.Advance(TimeSpan.FromSeconds(4));
            await worker.Instance.Exited.WaitAsync(TestGuard.Timeout);

            Assert.Equal(1, worker.Kills);
        }
        finally
        {
            await harness.Monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Reconcile_StartsProvisionedInstancesWarm_AndKeepsThemPastTheIdleTimeout()
    {
        var harness = new DispatcherHarness(idleTimeout: IdleTimeout);
        var config = DispatcherHarness.Config("warm");
        var version = new VersionRecord("warm", 1, config, "code-1", 100, null, DispatcherHarness.Epoch);
        harness.Apply([DispatcherHarness.Function(config)], [version],
            [new AliasRecord("warm", "live", 1, null, 0, null, DispatcherHarness.Epoch)],
            [new ProvisionedConcurrencyRecord("warm", "live", 2)]);
        harness.Launcher.OnLaunch = async worker => await worker.AskForNext();

        await harness.Monitor.ReconcileAsync(CancellationToken.None);
        var warm = harness.Launcher.Workers;
        Assert.Equal(2, warm.Count);
        Assert.All(warm, w => Assert.True(w.Instance is { State: InstanceState.Idle, Provisioned: true }, $"{w.Instance.Id}: {w.Instance.State}"));

        harness.Time.Advance(IdleTimeout + TimeSpan.FromMinutes(10));
        await harness.Monitor.ReconcileAsync(CancellationToken.None);

        Assert.All(warm, w => Assert.Equal(0, w.Kills));
        Assert.All(warm, w => Assert.Equal(InstanceState.Idle, w.Instance.State));
        Assert.Equal(2, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Reconcile_WithProvisionedConcurrency_StopsOnlyTheInstancesBeyondIt()
    {
        var harness = new DispatcherHarness(idleTimeout: IdleTimeout);
        var config = DispatcherHarness.Config("burst");
        var version = new VersionRecord("burst", 1, config, "code-1", 100, null, DispatcherHarness.Epoch);
        harness.Apply([DispatcherHarness.Function(config)], [version], [],
            [new ProvisionedConcurrencyRecord("burst", "1", 1)]);
        // No answer until all three calls hold an instance, so none can finish early and free its instance for another.
        var received = 0;
        var allInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Launcher.OnLaunch = async worker =>
        {
            while (await worker.AskForNext() is { } invocation)
            {
                if (Interlocked.Increment(ref received) >= 3)
                {
                    allInFlight.TrySetResult();
                }

                await allInFlight.Task;
                worker.Respond(invocation, "1");
            }
        };
        await harness.Monitor.ReconcileAsync(CancellationToken.None);
        var target = harness.Snapshot.GetFunction("burst")!.Versions[1];

        // Three at once: one finds the provisioned instance, two start cold.
        var results = await Task.WhenAll(harness.Invoke(target), harness.Invoke(target), harness.Invoke(target)).WaitAsync(TestGuard.Timeout);
        Assert.All(results, r => Assert.Equal(InvocationOutcome.Success, r.Outcome));
        Assert.Equal(3, harness.Dispatcher.AllInstances().Count());

        harness.Time.Advance(IdleTimeout);
        await harness.Monitor.ReconcileAsync(CancellationToken.None);

        Assert.Single(harness.Dispatcher.AllInstances());
        Assert.Equal(2, harness.Launcher.Workers.Count(w => w.Kills == 1));
    }
}
