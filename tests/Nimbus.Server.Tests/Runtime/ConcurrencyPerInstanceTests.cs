using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>Instances with several slots (<c>concurrencyPerInstance</c>): the dispatcher counts slots, not processes.</summary>
public sealed class ConcurrencyPerInstanceTests
{
    private static Nimbus.Core.Functions.FunctionConfig Config(string name, int slots, double timeoutSeconds = 3, int? reserved = null) =>
        DispatcherHarness.Config(name, timeoutSeconds, reserved) with { ConcurrencyPerInstance = slots };

    /// <summary>Cold-starts one instance with the first call and lets it take <paramref name="more"/> calls as well.</summary>
    private static async Task<(FakeWorker Worker, List<Task<InvocationResult>> Calls, List<Invocation> Invocations)> ServeOnOne(
        DispatcherHarness harness, Nimbus.Core.Routing.ExecutionTarget target, int more)
    {
        var calls = new List<Task<InvocationResult>> { harness.Invoke(target) };
        var worker = await harness.Launcher.NextLaunchAsync();
        var invocations = new List<Invocation> { await worker.NextAsync() };
        for (var i = 0; i < more; i++)
        {
            calls.Add(harness.Invoke(target));
            invocations.Add(await worker.NextAsync());
        }

        return (worker, calls, invocations);
    }

    [Fact]
    public async Task Invoke_WithFourSlots_ServesFourConcurrentCallsOnOneInstance()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("shared", slots: 4));

        var (worker, calls, invocations) = await ServeOnOne(harness, target, more: 3);

        Assert.Equal(1, harness.Launcher.Launches);
        Assert.Equal(4, worker.Instance.TakenSlots);
        Assert.Equal(4, invocations.Select(i => i.RequestId).Distinct().Count());
        for (var i = 0; i < invocations.Count; i++)
        {
            worker.Respond(invocations[i], $"\"{i}\"");
        }

        var results = await Task.WhenAll(calls).WaitAsync(TestGuard.Timeout);
        Assert.Equal(["\"0\"", "\"1\"", "\"2\"", "\"3\""], results.Select(DispatcherHarness.Body));
        Assert.Equal(InstanceState.Idle, worker.Instance.State);
        Assert.Equal(0, worker.Instance.TakenSlots);
    }

    [Fact]
    public async Task Invoke_WhenEverySlotIsTaken_StartsASecondInstance()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("full", slots: 2));
        var (first, _, _) = await ServeOnOne(harness, target, more: 1);

        var third = harness.Invoke(target);
        var second = await harness.Launcher.NextLaunchAsync();
        second.Respond(await second.NextAsync(), "\"second\"");

        Assert.Equal("\"second\"", DispatcherHarness.Body(await DispatcherHarness.Completed(third)));
        Assert.Equal(2, first.Instance.TakenSlots);
        Assert.Equal(2, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_WhileTheFirstInstanceStarts_WaitsForItsSlots_InsteadOfStartingMore()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("burst", slots: 4));

        var calls = Enumerable.Range(0, 4).Select(_ => harness.Invoke(target)).ToList();
        var worker = await harness.Launcher.NextLaunchAsync();
        var invocations = new List<Invocation>();
        for (var i = 0; i < 4; i++)
        {
            invocations.Add(await worker.NextAsync());
        }

        foreach (var invocation in invocations)
        {
            worker.Respond(invocation, "\"ok\"");
        }

        var results = await Task.WhenAll(calls).WaitAsync(TestGuard.Timeout);
        Assert.All(results, r => Assert.Equal(InvocationOutcome.Success, r.Outcome));
        Assert.Equal(1, harness.Launcher.Launches);
        Assert.True(harness.Launcher.NoPendingLaunch);
    }

    [Fact]
    public async Task ReservedConcurrency_CountsInvocations_NotInstances()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("reserved", slots: 4, reserved: 2));
        var (_, _, _) = await ServeOnOne(harness, target, more: 1);

        var third = await DispatcherHarness.Completed(harness.Invoke(target));

        Assert.Equal(InvocationOutcome.Throttled, third.Outcome);
        Assert.Equal(ThrottleReason.ReservedConcurrency, third.ThrottleReason);
        Assert.Equal(1, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Timeout_OnASharedInstance_FailsOnlyThatCall_AndRecyclesTheInstanceAfterTheOthersEnd()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("recycle", slots: 2, timeoutSeconds: 3));
        var slow = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();
        await worker.NextAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var quick = harness.Invoke(target);
        var onQuick = await worker.NextAsync();

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var timedOut = await DispatcherHarness.Completed(slow);

        Assert.Equal(InvocationOutcome.Timeout, timedOut.Outcome);
        Assert.Contains("Task timed out after 3.00 seconds", DispatcherHarness.Body(timedOut), StringComparison.Ordinal);
        Assert.Equal(0, worker.Kills);
        Assert.True(worker.Instance.Recycling);

        // A new call does not go to the recycling instance.
        var fresh = harness.Invoke(target);
        var replacement = await harness.Launcher.NextLaunchAsync();
        replacement.Respond(await replacement.NextAsync(), "\"fresh\"");
        Assert.Equal("\"fresh\"", DispatcherHarness.Body(await DispatcherHarness.Completed(fresh)));

        worker.Respond(onQuick, "\"quick\"");
        Assert.Equal("\"quick\"", DispatcherHarness.Body(await DispatcherHarness.Completed(quick)));
        Assert.Equal(1, worker.Kills);
    }

    [Fact]
    public async Task Crash_FailsEveryInFlightCall_EachWithItsOwnRequestId()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("crash", slots: 3));
        var (worker, calls, invocations) = await ServeOnOne(harness, target, more: 2);

        worker.Exit(139);
        var results = await Task.WhenAll(calls).WaitAsync(TestGuard.Timeout);

        Assert.All(results, r => Assert.Equal(InvocationOutcome.Crashed, r.Outcome));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(invocations[i].RequestId, results[i].RequestId);
            Assert.Contains($"RequestId: {invocations[i].RequestId} Error: Runtime exited with error: signal 11", DispatcherHarness.Body(results[i]),
                StringComparison.Ordinal);
        }

        Assert.Empty(harness.Dispatcher.AllInstances());
    }

    [Fact]
    public async Task ResponseForOneRequestId_CompletesThatCallOnly()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(Config("byid", slots: 2));
        var (worker, calls, invocations) = await ServeOnOne(harness, target, more: 1);

        worker.Respond(invocations[1], "\"second\"");

        Assert.Equal("\"second\"", DispatcherHarness.Body(await DispatcherHarness.Completed(calls[1])));
        Assert.False(calls[0].IsCompleted);
        Assert.Same(invocations[0], worker.Instance.FindInFlight(invocations[0].RequestId));
        Assert.Null(worker.Instance.FindInFlight(invocations[1].RequestId));
        Assert.Equal(InstanceState.Busy, worker.Instance.State);
    }
}
