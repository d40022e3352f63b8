using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>The dispatcher in-process: fake workers, fake time, exact outcomes.</summary>
public sealed class DispatcherTests
{
    [Fact]
    public async Task Invoke_FirstCall_ColdStartsOneInstance_WithInitDurationFromFakeTime()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("cold"));

        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();
        Assert.Equal(InstanceState.Starting, worker.Instance.State);
        harness.Time.Advance(TimeSpan.FromMilliseconds(250));
        var invocation = await worker.NextAsync();
        Assert.Equal(InstanceState.Busy, worker.Instance.State);
        harness.Time.Advance(TimeSpan.FromMilliseconds(40));
        worker.Respond(invocation, "\"hello\"");
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal("\"hello\"", DispatcherHarness.Body(result));
        Assert.True(result.ColdStart);
        Assert.Equal(250, result.InitDurationMs);
        Assert.Equal(40, result.DurationMs);
        Assert.Equal("$LATEST", result.ExecutedVersion);
        Assert.Equal(InstanceState.Idle, worker.Instance.State);
        Assert.Equal(1, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_WhenTheCallerGoesAwayDuringTheColdStart_TheInstanceFinishesItsInit_AndServesTheNextCallWarm()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("abandoned"));
        using var gone = new CancellationTokenSource();

        var abandoned = harness.Dispatcher.InvokeAsync(target, null, new InvokeRequest("req-gone", "{}"u8.ToArray()), gone.Token);
        var worker = await harness.Launcher.NextLaunchAsync();
        await gone.CancelAsync(); // a client whose timeout is shorter than the init
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TestGuard.Timeout));
        Assert.Equal(InstanceState.Starting, worker.Instance.State);

        var waiting = worker.AskForNext(); // the init ends
        Assert.True(SpinWait.SpinUntil(() => worker.Instance.State == InstanceState.Idle, TestGuard.Timeout), $"state {worker.Instance.State}");
        var call = harness.Invoke(target);
        var invocation = await waiting.WaitAsync(TestGuard.Timeout);
        Assert.NotNull(invocation);
        worker.Respond(invocation, "\"warm\"");
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.False(result.ColdStart);
        Assert.Equal(1, harness.Launcher.Launches);
        Assert.Equal(0, worker.Kills);
    }

    [Fact]
    public async Task Invoke_WhenAnInstanceIsIdle_ReusesIt_WithoutAColdStart()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("warm"));
        var (_, worker) = await harness.InvokeColdAsync(target);

        var call = harness.Invoke(target);
        worker.Respond(await worker.NextAsync(), "\"again\"");
        var result = await DispatcherHarness.Completed(call);

        Assert.False(result.ColdStart);
        Assert.Null(result.InitDurationMs);
        Assert.Equal("\"again\"", DispatcherHarness.Body(result));
        Assert.Equal(1, harness.Launcher.Launches);
        Assert.Equal(2, worker.Instance.Statistics.InvocationCount);
    }

    [Fact]
    public async Task Invoke_WithTwoIdleInstances_TakesTheMostRecentlyUsed()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("lifo"));
        var first = harness.Invoke(target);
        var second = harness.Invoke(target);
        var a = await harness.Launcher.NextLaunchAsync();
        var b = await harness.Launcher.NextLaunchAsync();
        var onA = await a.NextAsync();
        var onB = await b.NextAsync();
        a.Respond(onA, "\"a\"");
        await DispatcherHarness.Completed(first);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        b.Respond(onB, "\"b\"");
        await DispatcherHarness.Completed(second);

        var third = harness.Invoke(target);
        var next = b.AskForNext();
        b.Respond(await next.WaitAsync(TestGuard.Timeout) ?? throw new InvalidOperationException("b got no invocation"), "\"b again\"");

        Assert.Equal("\"b again\"", DispatcherHarness.Body(await DispatcherHarness.Completed(third)));
        Assert.Equal(1, a.Instance.Statistics.InvocationCount);
        Assert.Equal(InstanceState.Idle, a.Instance.State);
    }

    [Fact]
    public async Task Invoke_BeyondReservedConcurrency_IsThrottledNamingTheReservation()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("narrow", reservedConcurrency: 1));
        var running = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();

        var throttled = await DispatcherHarness.Completed(harness.Invoke(target));

        Assert.Equal(InvocationOutcome.Throttled, throttled.Outcome);
        Assert.Equal(ThrottleReason.ReservedConcurrency, throttled.ThrottleReason);
        Assert.Equal(1, throttled.Limit);
        Assert.Equal(1, harness.Launcher.Launches);
        worker.Respond(await worker.NextAsync(), "1");
        Assert.Equal(InvocationOutcome.Success, (await DispatcherHarness.Completed(running)).Outcome);
        Assert.Equal(0, harness.Limiter.InFlight("narrow"));
    }

    [Fact]
    public async Task Invoke_WithReservedConcurrencyZero_IsThrottledAsDisabled_WithoutStartingAnything()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("off", reservedConcurrency: 0));

        var result = await DispatcherHarness.Completed(harness.Invoke(target));

        Assert.Equal(InvocationOutcome.Throttled, result.Outcome);
        Assert.Equal(ThrottleReason.FunctionDisabled, result.ThrottleReason);
        Assert.Equal(0, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_BeyondTheUnreservedPool_IsThrottledAtThePlatformLimitMinusReservations()
    {
        // 3 instances on the platform, 1 reserved for "reserved": the others share 2.
        var harness = new DispatcherHarness(maxInstances: 3);
        harness.Apply([
            DispatcherHarness.Function(DispatcherHarness.Config("reserved", reservedConcurrency: 1)),
            DispatcherHarness.Function(DispatcherHarness.Config("shared")),
        ]);
        var shared = harness.Snapshot.GetFunction("shared")!.Latest!;
        var calls = new[] { harness.Invoke(shared), harness.Invoke(shared) };

        var third = await DispatcherHarness.Completed(harness.Invoke(shared));

        Assert.Equal(InvocationOutcome.Throttled, third.Outcome);
        Assert.Equal(ThrottleReason.PlatformConcurrency, third.ThrottleReason);
        Assert.Equal(2, third.Limit);
        foreach (var worker in new[] { await harness.Launcher.NextLaunchAsync(), await harness.Launcher.NextLaunchAsync() })
        {
            worker.Respond(await worker.NextAsync(), "1");
        }

        Assert.All(await Task.WhenAll(calls), r => Assert.Equal(InvocationOutcome.Success, r.Outcome));
    }

    [Fact]
    public async Task Invoke_WhenEveryRuntimePortIsBusy_IsThrottledWithThePortCount()
    {
        var harness = new DispatcherHarness(maxInstances: 1, platformLimit: 2);
        harness.Apply([
            DispatcherHarness.Function(DispatcherHarness.Config("a")),
            DispatcherHarness.Function(DispatcherHarness.Config("b")),
        ]);
        var busy = harness.Invoke(harness.Snapshot.GetFunction("a")!.Latest!);
        var worker = await harness.Launcher.NextLaunchAsync();
        var invocation = await worker.NextAsync();

        var result = await DispatcherHarness.Completed(harness.Invoke(harness.Snapshot.GetFunction("b")!.Latest!));

        Assert.Equal(InvocationOutcome.Throttled, result.Outcome);
        Assert.Equal(ThrottleReason.PlatformConcurrency, result.ThrottleReason);
        Assert.Equal(1, result.Limit);
        worker.Respond(invocation, "1");
        await DispatcherHarness.Completed(busy);
    }

    [Fact]
    public async Task Invoke_WhenEveryRuntimePortIsHeldByIdleInstances_EvictsTheLeastRecentlyUsedAndStarts()
    {
        var harness = new DispatcherHarness(maxInstances: 1);
        harness.Apply([
            DispatcherHarness.Function(DispatcherHarness.Config("a")),
            DispatcherHarness.Function(DispatcherHarness.Config("b")),
        ]);
        var (_, idle) = await harness.InvokeColdAsync(harness.Snapshot.GetFunction("a")!.Latest!);

        var (result, started) = await harness.InvokeColdAsync(harness.Snapshot.GetFunction("b")!.Latest!);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal(InstanceState.Dead, idle.Instance.State);
        Assert.Equal(1, idle.Kills);
        Assert.Equal(idle.Instance.Port, started.Instance.Port);
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionDoesNotAnswer_TimesOutExactlyAtTheDeadline_AndKillsTheInstance()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("slow", timeoutSeconds: 3));
        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();
        await worker.NextAsync();

        harness.Time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted, "the invocation must still run one tick before its deadline");
        Assert.Equal(0, worker.Kills);
        harness.Time.Advance(TimeSpan.FromTicks(1));
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Timeout, result.Outcome);
        Assert.Equal(ErrorTypes.Timeout, result.ErrorType);
        Assert.Contains("Task timed out after 3.00 seconds", DispatcherHarness.Body(result), StringComparison.Ordinal);
        Assert.Equal(3000, result.DurationMs);
        Assert.Equal(1, worker.Kills);
        Assert.Equal(InstanceState.Dead, worker.Instance.State);
        Assert.Empty(harness.Dispatcher.AllInstances());
    }

    [Fact]
    public async Task Invoke_WhenTheProcessExitsDuringTheInvocation_CompletesAsCrashedWithTheSignal()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("crash"));
        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();
        await worker.NextAsync();

        worker.Exit(139);
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Crashed, result.Outcome);
        Assert.Equal(ErrorTypes.ExitError, result.ErrorType);
        Assert.Contains("signal 11", DispatcherHarness.Body(result), StringComparison.Ordinal);
        Assert.Empty(harness.Dispatcher.AllInstances());
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionReportsAnError_ReturnsIt_AndKeepsTheInstanceWarm()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("oops"));
        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();

        worker.ReportError(await worker.NextAsync(), "TypeError", "x is undefined");
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("TypeError", result.ErrorType);
        Assert.Equal(InstanceState.Idle, worker.Instance.State);
    }

    [Fact]
    public async Task Invoke_AfterConsecutiveInitFailures_BacksOff1s2s4sUpTo30s_FailingFastMeanwhile()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("broken"));
        var expected = new[] { 1, 2, 4, 8, 16, 30, 30 };

        for (var failures = 1; failures <= expected.Length; failures++)
        {
            var call = harness.Invoke(target);
            var worker = await harness.Launcher.NextLaunchAsync();
            worker.FailInit("Runtime.ImportModuleError", "Cannot find module 'index'");
            var failed = await DispatcherHarness.Completed(call);
            Assert.Equal(InvocationOutcome.InitError, failed.Outcome);
            Assert.Equal("Runtime.ImportModuleError", failed.ErrorType);

            var wait = TimeSpan.FromSeconds(expected[failures - 1]);
            harness.Time.Advance(wait - TimeSpan.FromTicks(1));
            var fast = await DispatcherHarness.Completed(harness.Invoke(target));
            Assert.Equal(InvocationOutcome.InitError, fast.Outcome);
            Assert.Contains($"init failed {failures} times in a row", DispatcherHarness.Body(fast), StringComparison.Ordinal);
            Assert.True(harness.Launcher.NoPendingLaunch, $"after {failures} failures no start may happen before {wait}");
            harness.Time.Advance(TimeSpan.FromTicks(1));
        }

        // The wait is over: the next call starts again, and a success resets the count.
        var (result, _) = await harness.InvokeColdAsync(target);
        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal(0, harness.Dispatcher.Pools.Single().ConsecutiveInitFailures);
        Assert.Equal(expected.Length + 1, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_WhenTheWorkerExitsBeforeItIsReady_FailsWithTheExitAndItsLastOutput()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("dies"));
        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();
        worker.Instance.Logs.Remember("SyntaxError: Unexpected token");

        worker.Exit(1);
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Contains("exit status 1 before it asked for work. Last output: SyntaxError: Unexpected token",
            DispatcherHarness.Body(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WhenTheWorkerIsNotReadyWithinTheInitTimeout_FailsExactlyThen()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("hangs"));
        var call = harness.Invoke(target);
        var worker = await harness.Launcher.NextLaunchAsync();

        harness.Time.Advance(Dispatcher.InitTimeout - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted, "init may take up to the init timeout");
        harness.Time.Advance(TimeSpan.FromTicks(1));
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Contains("Init timed out after 10.00 seconds", DispatcherHarness.Body(result), StringComparison.Ordinal);
        Assert.Equal(1, worker.Kills);
    }

    [Fact]
    public async Task Invoke_WhenTheLaunchFails_ReturnsInitErrorWithTheReason_AndFreesThePort()
    {
        var harness = new DispatcherHarness(maxInstances: 1);
        var target = harness.Deploy(DispatcherHarness.Config("nocode"));
        harness.Launcher.LaunchFailure = "the function's package could not be extracted: bad zip";

        var result = await DispatcherHarness.Completed(harness.Invoke(target));

        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Contains("bad zip", DispatcherHarness.Body(result), StringComparison.Ordinal);
        Assert.Empty(harness.Dispatcher.AllInstances());
        harness.Launcher.LaunchFailure = null;
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(InvocationOutcome.Success, (await harness.InvokeColdAsync(target)).Result.Outcome);
    }

    [Fact]
    public async Task Burst_StartsAtMostTheColdStartCapAtOnce_AndAFreedSlotStartsTheNext()
    {
        var harness = new DispatcherHarness(maxInstances: 8, maxConcurrentColdStarts: 2);
        var target = harness.Deploy(DispatcherHarness.Config("burst"));

        var calls = Enumerable.Range(0, 5).Select(_ => harness.Invoke(target)).ToArray();
        var first = await harness.Launcher.NextLaunchAsync();
        var second = await harness.Launcher.NextLaunchAsync();
        Assert.Equal(2, harness.Launcher.Launches);

        // The first becomes ready: its slot goes to the third caller, whose instance starts.
        var onFirst = await first.NextAsync();
        var third = await harness.Launcher.NextLaunchAsync();
        Assert.Equal(3, harness.Launcher.Launches);
        Assert.Equal(2, harness.Launcher.Workers.Count(w => w.Instance.State == InstanceState.Starting));

        // The first goes idle before any other slot frees: the two callers still waiting take it in turn instead of
        // starting a fourth instance.
        first.Respond(onFirst, "1");
        first.Respond(await first.NextAsync(), "4");
        first.Respond(await first.NextAsync(), "5");
        second.Respond(await second.NextAsync(), "2");
        third.Respond(await third.NextAsync(), "3");
        var results = await Task.WhenAll(calls).WaitAsync(TestGuard.Timeout);

        Assert.All(results, r => Assert.Equal(InvocationOutcome.Success, r.Outcome));
        Assert.Equal(3, harness.Launcher.Launches);
        Assert.Equal(2, harness.Launcher.MaxStarting);
        Assert.Equal(3, results.Count(r => r.ColdStart));
    }
}
