using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>
/// A worker may die at any moment, also in the instant an invocation takes it. Whatever the order, the invocation
/// completes (Crashed, or served by another instance) and never waits for its deadline.
/// </summary>
public sealed class ExitRaceTests
{
    [Fact]
    public async Task Invoke_AfterTheIdleInstanceExited_IsServedByANewInstance()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("gone"));
        var (_, dead) = await harness.InvokeColdAsync(target);
        dead.Exit(1);

        var (result, fresh) = await harness.InvokeColdAsync(target);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.True(result.ColdStart);
        Assert.NotSame(dead.Instance, fresh.Instance);
        Assert.Equal(InstanceState.Dead, dead.Instance.State);
    }

    [Fact]
    public async Task Invoke_WhenTheInstanceExitsAfterTheTakeBeforeTheHandOver_IsServedByAnotherInstance()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("between"));
        var (_, worker) = await harness.InvokeColdAsync(target);
        var polling = worker.AskForNext();
        // The dispatcher creates the invocation's deadline timer (3 s) after it took the instance and before it hands the
        // invocation over: the exit lands exactly in that gap.
        harness.Time.BeforeTimer(TimeSpan.FromSeconds(3), () =>
        {
            Assert.Equal(InstanceState.Busy, worker.Instance.State);
            worker.Exit(137);
        });

        var call = harness.Invoke(target);
        var fresh = await harness.Launcher.NextLaunchAsync();
        fresh.Respond(await fresh.NextAsync(), "\"elsewhere\"");
        var result = await DispatcherHarness.Completed(call);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal("\"elsewhere\"", DispatcherHarness.Body(result));
        Assert.Null(await polling.WaitAsync(TestGuard.Timeout));
        Assert.Equal(1, worker.Instance.Statistics.InvocationCount);
        Assert.Equal(2, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_WhenEveryInstanceItGetsExitsBeforeTheHandOver_GivesUpAsCrashedAfterTheBound()
    {
        var harness = new DispatcherHarness();
        var target = harness.Deploy(DispatcherHarness.Config("doomed"));
        harness.Launcher.OnLaunch = async worker =>
        {
            harness.Time.BeforeTimer(TimeSpan.FromSeconds(3), () => worker.Exit(137));
            await worker.AskForNext();
        };

        var result = await DispatcherHarness.Completed(harness.Invoke(target));

        Assert.Equal(InvocationOutcome.Crashed, result.Outcome);
        Assert.Contains("3 instances exited before they received the invocation", DispatcherHarness.Body(result), StringComparison.Ordinal);
        Assert.Equal(Dispatcher.MaxHandOverAttempts, harness.Launcher.Launches);
    }

    [Fact]
    public async Task Invoke_ConcurrentWithTheIdleInstanceExiting_CompletesWithoutWaitingForItsDeadline()
    {
        // Before the fix the exit could mark the instance Dead between the take's check and its write of Busy; the take
        // then revived it and the invocation waited its whole deadline. Fake time never moves here, so a call that
        // waits for its deadline never completes and the guard fails the test.
        const int rounds = 300;
        var crashed = 0;
        var retried = 0;
        for (var round = 0; round < rounds; round++)
        {
            var harness = new DispatcherHarness();
            var target = harness.Deploy(DispatcherHarness.Config("race"));
            var (_, worker) = await harness.InvokeColdAsync(target);
            harness.Launcher.OnLaunch = async fresh => fresh.Respond(await fresh.NextAsync(), "\"retried\"");
            var polling = worker.AskForNext(); // an idle worker long-polls for its next invocation
            var ready = 0;
            void Rendezvous()
            {
                Interlocked.Increment(ref ready);
                while (Volatile.Read(ref ready) < 2)
                {
                }
            }

            var exit = Task.Run(() =>
            {
                Rendezvous();
                Thread.SpinWait(round % 60 * 25); // sweeps the exit across the take, round by round
                worker.Exit(137);
            });
            var call = Task.Run(() =>
            {
                Rendezvous();
                return harness.Invoke(target);
            });
            await exit;
            var result = await call.WaitAsync(TestGuard.Timeout);

            if (result.Outcome == InvocationOutcome.Crashed)
            {
                Assert.Equal(ErrorTypes.ExitError, result.ErrorType);
                crashed++;
            }
            else
            {
                Assert.True(result.Outcome == InvocationOutcome.Success, $"round {round}: expected Crashed or served elsewhere, got {result.Outcome}");
                Assert.Equal("\"retried\"", DispatcherHarness.Body(result));
                retried++;
            }

            Assert.Equal(InstanceState.Dead, worker.Instance.State);
            Assert.DoesNotContain(worker.Instance, harness.Dispatcher.AllInstances());
            Assert.True(polling.IsCompleted, $"round {round}: the dead worker's pending next must be answered");
        }

        Assert.Equal(rounds, crashed + retried);
    }
}
