using Nimbus.Core.Invocations;
using Nimbus.Core.Instances;
using Nimbus.Core.Routing;
using Nimbus.Core.Tracing;
using Nimbus.Server.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>The instance's own state machine: each transition, and the orderings of an exit against a take.</summary>
public sealed class InstanceTests
{
    private readonly FakeTimeProvider _time = new(DispatcherHarness.Epoch);

    private Instance NewInstance(bool provisioned = false)
    {
        var config = DispatcherHarness.Config("fn");
        var pool = new VersionPool(new ExecutionTarget(config, "$LATEST", "code", "fn:$LATEST@1"));
        var instance = new Instance("i-1", pool, 20_000, provisioned, _time);
        Assert.True(pool.TryAdd(instance));
        return instance;
    }

    private Invocation NewInvocation(Instance instance) =>
        new(new InvokeRequest("req-1", "{}"u8.ToArray()), "arn", 0, TraceContext.ContinueOrStart(null), _time) { Instance = instance };

    private Instance InState(InstanceState state)
    {
        var instance = NewInstance(provisioned: true);
        switch (state)
        {
            case InstanceState.Idle:
                Assert.True(instance.TryReturnIdle());
                break;
            case InstanceState.Busy:
                Assert.True(instance.TryBeginServing());
                break;
            case InstanceState.Draining:
                Assert.True(instance.BeginDrain());
                break;
            case InstanceState.Dead:
                instance.MarkDead();
                break;
        }

        Assert.Equal(state, instance.State);
        return instance;
    }

    [Fact]
    public void NewInstance_IsStarting() => Assert.Equal(InstanceState.Starting, NewInstance().State);

    [Theory]
    [InlineData(InstanceState.Idle, true)]
    [InlineData(InstanceState.Starting, false)]
    [InlineData(InstanceState.Busy, false)]
    [InlineData(InstanceState.Draining, false)]
    [InlineData(InstanceState.Dead, false)]
    public void TryTake_SucceedsOnlyFromIdle(InstanceState from, bool taken)
    {
        var instance = InState(from);

        Assert.Equal(taken, instance.TryTake());
        Assert.Equal(taken ? InstanceState.Busy : from, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Starting, true)]
    [InlineData(InstanceState.Idle, false)]
    [InlineData(InstanceState.Busy, false)]
    [InlineData(InstanceState.Draining, false)]
    [InlineData(InstanceState.Dead, false)]
    public void TryBeginServing_SucceedsOnlyFromStarting(InstanceState from, bool serving)
    {
        var instance = InState(from);

        Assert.Equal(serving, instance.TryBeginServing());
        Assert.Equal(serving ? InstanceState.Busy : from, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Busy, true)]
    [InlineData(InstanceState.Starting, true)]
    [InlineData(InstanceState.Idle, false)]
    [InlineData(InstanceState.Draining, false)]
    [InlineData(InstanceState.Dead, false)]
    public void TryReturnIdle_SucceedsFromBusy_AndFromStartingWhenProvisioned(InstanceState from, bool idle)
    {
        var instance = InState(from);

        Assert.Equal(idle, instance.TryReturnIdle());
        Assert.Equal(idle ? InstanceState.Idle : from, instance.State);
    }

    [Fact]
    public void TryReturnIdle_OfAColdStartThatIsStillStarting_IsRefused()
    {
        var instance = NewInstance(provisioned: false);

        Assert.False(instance.TryReturnIdle());
        Assert.Equal(InstanceState.Starting, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Idle, true)]
    [InlineData(InstanceState.Starting, false)]
    [InlineData(InstanceState.Busy, false)]
    [InlineData(InstanceState.Draining, false)]
    [InlineData(InstanceState.Dead, false)]
    public void TryClaimIdleForStop_SucceedsOnlyFromIdle(InstanceState from, bool claimed)
    {
        var instance = InState(from);

        Assert.Equal(claimed, instance.TryClaimIdleForStop());
        Assert.Equal(claimed ? InstanceState.Draining : from, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Starting, true)]
    [InlineData(InstanceState.Idle, true)]
    [InlineData(InstanceState.Busy, true)]
    [InlineData(InstanceState.Draining, true)]
    [InlineData(InstanceState.Dead, false)]
    public void BeginDrain_MovesEveryLiveStateToDraining_ButNotDead(InstanceState from, bool draining)
    {
        var instance = InState(from);

        Assert.Equal(draining, instance.BeginDrain());
        Assert.Equal(draining ? InstanceState.Draining : InstanceState.Dead, instance.State);
    }

    [Theory]
    [InlineData(InstanceState.Starting)]
    [InlineData(InstanceState.Idle)]
    [InlineData(InstanceState.Busy)]
    [InlineData(InstanceState.Draining)]
    [InlineData(InstanceState.Dead)]
    public void MarkDead_FromAnyState_IsDeadForGood(InstanceState from)
    {
        var instance = InState(from);

        instance.MarkDead();

        Assert.Equal(InstanceState.Dead, instance.State);
        Assert.False(instance.TryTake());
        Assert.False(instance.TryReturnIdle());
        Assert.False(instance.TryBeginServing());
        Assert.False(instance.BeginDrain());
        Assert.Equal(InstanceState.Dead, instance.State);
    }

    [Fact]
    public async Task ExitAfterTheTake_BeforeTheHandOver_RefusesTheHandOver_SoTheInvocationCanGoElsewhere()
    {
        var instance = InState(InstanceState.Idle);
        Assert.True(instance.TryTake());

        Assert.Empty(instance.MarkDead());
        var invocation = NewInvocation(instance);

        Assert.False(instance.TryAssign(invocation));
        Assert.Null(instance.Current);
        Assert.Null(await instance.WaitForNextAsync());
    }

    [Fact]
    public void ExitAfterTheHandOver_ReturnsTheInvocation_SoTheExitFailsIt()
    {
        var instance = InState(InstanceState.Idle);
        Assert.True(instance.TryTake());
        var invocation = NewInvocation(instance);
        Assert.True(instance.TryAssign(invocation));

        Assert.Same(invocation, Assert.Single(instance.MarkDead()));
        Assert.Empty(instance.MarkDead()); // reported once
    }

    [Fact]
    public async Task ExitWhileTheWorkerWaitsForNext_AnswersTheWaitWithNoInvocation()
    {
        var instance = InState(InstanceState.Idle);
        var waiting = instance.WaitForNextAsync();

        instance.MarkDead();

        Assert.Null(await waiting.WaitAsync(TestGuard.Timeout));
    }

    [Fact]
    public void TryAssign_WhileDraining_IsRefused()
    {
        var instance = InState(InstanceState.Busy);
        instance.BeginDrain();

        Assert.False(instance.TryAssign(NewInvocation(instance)));
    }

    [Fact]
    public async Task TryAssign_BeforeTheWorkerAsks_QueuesTheInvocationForItsNextAsk()
    {
        var instance = InState(InstanceState.Busy);
        var invocation = NewInvocation(instance);
        var seen = new List<string>();

        Assert.True(instance.TryAssign(invocation, i => seen.Add(i.RequestId)));

        Assert.Same(invocation, await instance.WaitForNextAsync());
        Assert.Equal(["req-1"], seen);
        Assert.Equal(1, instance.Statistics.InvocationCount);
    }

    [Fact]
    public async Task HandOverToAWaitingNext_ContinuesOnTheAssigningThread_WithTheGateFree()
    {
        var instance = InState(InstanceState.Busy);
        var waiting = instance.WaitForNextAsync();
        var observed = ObserveCompletion(waiting, instance);

        Assert.True(instance.TryAssign(NewInvocation(instance)));

        // The worker's `next` is answered by the caller's own thread (no pool hand-off), and not under the instance's gate.
        var thread = Environment.CurrentManagedThreadId;
        Assert.True(observed.IsCompleted);
        Assert.Equal((thread, true), await observed);
    }

    [Fact]
    public async Task ASecondNext_OnAOneSlotInstance_AnswersTheFirstWithNothing_OutsideTheGate()
    {
        var instance = InState(InstanceState.Busy);
        var first = instance.WaitForNextAsync();
        var observed = ObserveCompletion(first, instance);

        var second = instance.WaitForNextAsync();

        var thread = Environment.CurrentManagedThreadId;
        Assert.True(observed.IsCompleted);
        Assert.Null(await first);
        Assert.False(second.IsCompleted);
        Assert.Equal((thread, true), await observed);
    }

    [Fact]
    public async Task AnInvocationsResult_ContinuesOnTheCompletingThread()
    {
        var instance = InState(InstanceState.Busy);
        var invocation = NewInvocation(instance);
        var thread = invocation.Completion.ContinueWith(_ => Environment.CurrentManagedThreadId, TaskContinuationOptions.ExecuteSynchronously);

        Assert.True(invocation.TryComplete(InvocationOutcome.Success, "{}"u8.ToArray(), null));

        var completing = Environment.CurrentManagedThreadId;
        Assert.True(thread.IsCompleted);
        Assert.Equal(completing, await thread);
    }

    /// <summary>
    /// Where <paramref name="waiting"/>'s continuation runs, and whether another thread can take the instance's gate
    /// meanwhile (it could not if the completer held it: the other thread's call would wait until the guard's timeout).
    /// </summary>
    private Task<(int Thread, bool GateFree)> ObserveCompletion(Task<Invocation?> waiting, Instance instance) =>
        waiting.ContinueWith(
            _ => (Environment.CurrentManagedThreadId, Task.Run(() => instance.ClearCurrent(NewInvocation(instance))).Wait(TestGuard.Timeout)),
            TaskContinuationOptions.ExecuteSynchronously);

    [Fact]
    public void InitDuration_IsTheFakeTimeFromSpawnToTheFirstNext()
    {
        var instance = NewInstance();
        _time.Advance(TimeSpan.FromMilliseconds(1234));

        instance.MarkInitialized();
        _time.Advance(TimeSpan.FromSeconds(5));
        instance.MarkInitialized();

        Assert.Equal(1234, instance.InitDurationMs);
    }

    [Fact]
    public void Statistics_MaxMemoryOfAnInvocation_StartsFromTheLastSample_AndKeepsThePeak()
    {
        var statistics = new InstanceStatistics(DispatcherHarness.Epoch);
        statistics.RecordResidentMemory(500);
        statistics.RecordResidentMemory(300);
        Assert.Equal(500, statistics.MaxRssBytesThisInvocation);

        statistics.InvocationStarted();
        Assert.Equal(300, statistics.MaxRssBytesThisInvocation);
        statistics.RecordResidentMemory(400);
        statistics.RecordResidentMemory(350);

        Assert.Equal(400, statistics.MaxRssBytesThisInvocation);
        Assert.Equal(350, statistics.LastRssBytes);
        Assert.Equal(1, statistics.InvocationCount);
    }
}
