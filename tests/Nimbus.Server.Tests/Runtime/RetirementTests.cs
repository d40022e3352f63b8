using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>
/// A configuration or code change retires the pool of the old <c>$LATEST</c> revision. A call that already waits is
/// served by the old revision or the new one, never failed by the platform (defect #2 of issue 6: every update killed
/// the starting instance and the caller got "Runtime.ExitError … signal 9").
/// </summary>
public sealed class RetirementTests
{
    [Fact]
    public async Task ConfigurationUpdate_WhileAColdStartInitialises_LetsItServeTheWaitingCall_ThenStopsIt()
    {
        var harness = new DispatcherHarness();
        var config = DispatcherHarness.Config("updated");
        var old = harness.Deploy(config, revision: 1);
        var call = harness.Invoke(old);
        var starting = await harness.Launcher.NextLaunchAsync();

        var current = harness.Deploy(config with { Description = "changed" }, revision: 2);
        Assert.Equal(0, starting.Kills);
        Assert.Equal(InstanceState.Starting, starting.Instance.State);
        starting.Respond(await starting.NextAsync(), "\"old revision\"");
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal("\"old revision\"", DispatcherHarness.Body(result));
        Assert.Equal(1, starting.Kills);
        Assert.Equal(InstanceState.Dead, starting.Instance.State);
        Assert.DoesNotContain(harness.Dispatcher.Pools, p => p.Key == old.PoolKey);
        var (next, worker) = await harness.InvokeColdAsync(current);
        Assert.Equal(InvocationOutcome.Success, next.Outcome);
        Assert.Equal(current.PoolKey, worker.Instance.Pool.Key);
    }

    [Fact]
    public async Task ConfigurationUpdate_WhileACallWaitsForAStartSlot_StartsItOnTheOldRevisionInAPoolTheDispatcherKnows()
    {
        var harness = new DispatcherHarness(maxConcurrentColdStarts: 1);
        harness.Apply([
            DispatcherHarness.Function(DispatcherHarness.Config("other")),
            DispatcherHarness.Function(DispatcherHarness.Config("updated"), revision: 1),
        ]);
        var other = harness.Snapshot.GetFunction("other")!.Latest!;
        var old = harness.Snapshot.GetFunction("updated")!.Latest!;
        var holdsTheSlot = harness.Invoke(other);
        var otherWorker = await harness.Launcher.NextLaunchAsync();
        var waiting = harness.Invoke(old);

        // The old revision's pool has no instance: the update retires and forgets it while the call waits.
        harness.Apply([
            DispatcherHarness.Function(DispatcherHarness.Config("other")),
            DispatcherHarness.Function(DispatcherHarness.Config("updated") with { Description = "changed" }, revision: 2),
        ]);
        Assert.DoesNotContain(harness.Dispatcher.Pools, p => p.Key == old.PoolKey);
        otherWorker.Respond(await otherWorker.NextAsync(), "1");
        var late = await harness.Launcher.NextLaunchAsync();

        Assert.Equal(old.PoolKey, late.Instance.Pool.Key);
        Assert.True(late.Instance.Pool.Retired);
        Assert.Contains(late.Instance, harness.Dispatcher.AllInstances());
        late.Respond(await late.NextAsync(), "\"old revision\"");
        Assert.Equal(InvocationOutcome.Success, (await DispatcherHarness.Completed(waiting)).Outcome);
        Assert.Equal(InvocationOutcome.Success, (await DispatcherHarness.Completed(holdsTheSlot)).Outcome);
        Assert.Equal(1, late.Kills);
        Assert.DoesNotContain(harness.Dispatcher.Pools, p => p.Key == old.PoolKey);
    }

    [Fact]
    public async Task ConfigurationUpdate_WhileAnInvocationRuns_LetsItFinish_ThenStopsTheInstance()
    {
        var harness = new DispatcherHarness();
        var config = DispatcherHarness.Config("busy");
        var old = harness.Deploy(config, revision: 1);
        var (_, worker) = await harness.InvokeColdAsync(old);
        var call = harness.Invoke(old);
        var invocation = await worker.NextAsync();

        harness.Deploy(config with { Description = "changed" }, revision: 2);
        Assert.Equal(0, worker.Kills);
        worker.Respond(invocation, "\"finished\"");

        Assert.Equal(InvocationOutcome.Success, (await DispatcherHarness.Completed(call)).Outcome);
        Assert.Equal(1, worker.Kills);
    }

    [Fact]
    public async Task ConfigurationUpdate_StopsIdleInstancesOfTheOldRevisionAtOnce()
    {
        var harness = new DispatcherHarness();
        var config = DispatcherHarness.Config("idle");
        var (_, worker) = await harness.InvokeColdAsync(harness.Deploy(config, revision: 1));

        harness.Deploy(config with { Description = "changed" }, revision: 2);

        Assert.Equal(1, worker.Kills);
        Assert.Equal(InstanceState.Dead, worker.Instance.State);
        Assert.Empty(harness.Dispatcher.Pools);
    }

    [Fact]
    public async Task ConfigurationUpdate_WhileAProvisionedInstanceStarts_StopsIt_NobodyWaitsForIt()
    {
        var harness = new DispatcherHarness();
        var config = DispatcherHarness.Config("warm");
        var old = harness.Deploy(config, revision: 1);
        var warming = harness.Dispatcher.StartWarmAsync(old, CancellationToken.None);
        var worker = await harness.Launcher.NextLaunchAsync();

        harness.Deploy(config with { Description = "changed" }, revision: 2);

        Assert.False(await warming.WaitAsync(TestGuard.Timeout));
        Assert.Equal(1, worker.Kills);
        Assert.Equal(InstanceState.Dead, worker.Instance.State);
    }

    [Fact]
    public async Task UpdatesInALoop_WhileCallsRun_NeverFailACall()
    {
        // The shape of the reported defect: updates every few calls while cold starts wait.
        var harness = new DispatcherHarness(maxInstances: 100, maxConcurrentColdStarts: 2);
        harness.Launcher.OnLaunch = async worker =>
        {
            while (await worker.AskForNext() is { } invocation)
            {
                worker.Respond(invocation, "\"ok\"");
            }
        };
        var config = DispatcherHarness.Config("looped");
        var calls = new List<Task<InvocationResult>>();
        for (var revision = 1; revision <= 40; revision++)
        {
            var target = harness.Deploy(config with { Description = $"r{revision}" }, revision);
            calls.Add(harness.Invoke(target));
            calls.Add(harness.Invoke(target));
        }

        var results = await Task.WhenAll(calls).WaitAsync(TestGuard.Timeout);

        Assert.All(results, r => Assert.True(r.Outcome == InvocationOutcome.Success, $"{r.RequestId}: {r.Outcome} {r.ErrorType} {DispatcherHarness.Body(r)}"));
    }
}
