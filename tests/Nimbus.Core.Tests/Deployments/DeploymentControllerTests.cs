using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class DeploymentControllerTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_Canary10Percent5Minutes_GivesTenPercentThenAllAtFiveMinutesThenSucceeds()
    {
        var d = New("Canary10Percent5Minutes");

        var start = Decide(d, s_t0);
        Assert.Equal(DeploymentState.Shifting, start.Deployment.State);
        Assert.Equal(new AliasWeights(1, 2, 0.1, TrafficMode.Weighted), start.Weights);

        var early = Decide(start.Deployment, s_t0.AddMinutes(5).AddTicks(-1));
        Assert.False(early.Changed);
        Assert.Null(early.Weights);

        var full = Decide(start.Deployment, s_t0.AddMinutes(5));
        Assert.Equal(DeploymentState.Succeeded, full.Deployment.State);
        Assert.Equal(AliasWeights.Only(2), full.Weights);
    }

    [Fact]
    public void Decide_Linear10PercentEvery1Minute_AddsTenPercentEachMinute()
    {
        var d = Decide(New("Linear10PercentEvery1Minute"), s_t0).Deployment;
        var weights = new List<double> { 0.1 };
        for (var minute = 1; minute <= 9; minute++)
        {
            var decision = Decide(d, s_t0.AddMinutes(minute));
            weights.Add(decision.Weights!.AdditionalVersion is null ? 1 : decision.Weights.AdditionalWeight);
            d = decision.Deployment;
        }

        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], weights);
        Assert.Equal(DeploymentState.Succeeded, d.State);
    }

    [Fact]
    public void Decide_StepReachedByALateTick_KeepsTheScheduleExact()
    {
        var d = Decide(New("Linear10PercentEvery1Minute"), s_t0).Deployment;

        var late = Decide(d, s_t0.AddMinutes(1).AddSeconds(3));

        Assert.Equal(s_t0.AddMinutes(1), late.Deployment.Since);
        Assert.Equal(0.2, late.Weights!.AdditionalWeight);
    }

    [Fact]
    public void Decide_AfterDowntimeLongerThanAStep_AdvancesOneStepAndGivesItAWholeInterval()
    {
        var d = Decide(New("Linear10PercentEvery1Minute"), s_t0).Deployment;

        var resumed = Decide(d, s_t0.AddMinutes(7));

        Assert.Equal(1, resumed.Deployment.StepIndex);
        Assert.Equal(0.2, resumed.Weights!.AdditionalWeight);
        Assert.Equal(s_t0.AddMinutes(7), resumed.Deployment.Since);
        Assert.False(Decide(resumed.Deployment, s_t0.AddMinutes(8).AddTicks(-1)).Changed);
    }

    [Fact]
    public void Decide_SamePersistedStateAndInputs_GivesTheSameDecision()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;

        var first = Decide(d, s_t0.AddMinutes(5));
        var second = Decide(d, s_t0.AddMinutes(5));

        Assert.Equal(first.Deployment, second.Deployment);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Reason, second.Reason);
    }

    [Fact]
    public void Decide_AllAtOnce_MovesEverythingAtOnceAndSucceeds()
    {
        var decision = Decide(New("AllAtOnce"), s_t0);

        Assert.Equal(DeploymentState.Succeeded, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(2), decision.Weights);
    }

    [Fact]
    public void Decide_BlueGreen_SwitchesAtOnceThenBakesBeforeSucceeding()
    {
        var switched = Decide(New("BlueGreen"), s_t0);
        Assert.Equal(DeploymentState.Baking, switched.Deployment.State);
        Assert.Equal(AliasWeights.Only(2), switched.Weights);

        Assert.False(Decide(switched.Deployment, s_t0.AddMinutes(10).AddTicks(-1)).Changed);

        var done = Decide(switched.Deployment, s_t0.AddMinutes(10));
        Assert.Equal(DeploymentState.Succeeded, done.Deployment.State);
        Assert.Null(done.Weights);
    }

    [Theory]
    [InlineData(DeploymentState.Shifting)]
    [InlineData(DeploymentState.Baking)]
    [InlineData(DeploymentState.PostTraffic)]
    public void Decide_WatchedAlarmInAlarm_RollsBackToTheOldVersionWithTheAlarmAsReason(DeploymentState state)
    {
        var d = New("Canary10Percent5Minutes") with { State = state, Since = s_t0, HookExecutionId = "x" };
        var inputs = DeploymentInputs.Quiet with { Alarms = [new("errors", false, null), new("latency", true, "p99 2300 ms > 1000 ms for 3 of 3 datapoints")] };

        var decision = DeploymentController.Decide(d, s_t0.AddSeconds(1), inputs);

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
        Assert.Equal("alarm 'latency' is in ALARM on version 2: p99 2300 ms > 1000 ms for 3 of 3 datapoints", decision.Reason);
        Assert.Equal("latency", decision.RolledBackBy?.Name);
    }

    [Fact]
    public void Decide_RollbackByRequest_NamesNoAlarm()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;

        var decision = DeploymentController.Decide(d, s_t0.AddSeconds(1),
            DeploymentInputs.Quiet with { Command = DeploymentCommand.Rollback, Alarms = [new("latency", true, "p99 2300 ms > 1000 ms")] });

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Null(decision.RolledBackBy);
    }

    [Fact]
    public void Decide_AlarmsAllOk_KeepsShifting()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;

        var decision = DeploymentController.Decide(d, s_t0.AddMinutes(1), DeploymentInputs.Quiet with { Alarms = [new("errors", false, null)] });

        Assert.Equal(DeploymentState.Shifting, decision.Deployment.State);
        Assert.False(decision.Changed);
    }

    [Fact]
    public void Decide_UnhealthyComparison_RollsBack()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;
        var verdict = new CanaryVerdict(CanaryVerdictKind.Unhealthy, "error rate 9% against 0%");

        var decision = DeploymentController.Decide(d, s_t0.AddMinutes(1), DeploymentInputs.Quiet with { Verdict = verdict });

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Equal("comparison with version 1: error rate 9% against 0%", decision.Reason);
    }

    [Fact]
    public void Decide_InconclusiveComparison_DoesNotStopTheShift()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;
        var verdict = new CanaryVerdict(CanaryVerdictKind.Inconclusive, "too few calls");

        var decision = DeploymentController.Decide(d, s_t0.AddMinutes(5), DeploymentInputs.Quiet with { Verdict = verdict });

        Assert.Equal(DeploymentState.Succeeded, decision.Deployment.State);
    }

    [Fact]
    public void Decide_PreTrafficHook_RunsBeforeAnyTrafficMoves()
    {
        var decision = Decide(New("Canary10Percent5Minutes", pre: "smoke"), s_t0);

        Assert.Equal(DeploymentState.PreTraffic, decision.Deployment.State);
        Assert.Null(decision.Weights);
        Assert.Equal(new HookInvocation("preTraffic", "smoke", "d-1-preTraffic"), decision.InvokeHook);
        Assert.Equal("d-1-preTraffic", decision.Deployment.HookExecutionId);
    }

    [Fact]
    public void Decide_PreTrafficHookSucceeded_StartsTheShift()
    {
        var waiting = Decide(New("Canary10Percent5Minutes", pre: "smoke"), s_t0).Deployment;

        var decision = DeploymentController.Decide(waiting, s_t0.AddSeconds(5), Hook("d-1-preTraffic", HookStatus.Succeeded));

        Assert.Equal(DeploymentState.Shifting, decision.Deployment.State);
        Assert.Equal(0.1, decision.Weights!.AdditionalWeight);
        Assert.Null(decision.Deployment.HookExecutionId);
    }

    [Fact]
    public void Decide_PreTrafficHookFailed_RollsBack()
    {
        var waiting = Decide(New("Canary10Percent5Minutes", pre: "smoke"), s_t0).Deployment;

        var decision = DeploymentController.Decide(waiting, s_t0.AddSeconds(5), Hook("d-1-preTraffic", HookStatus.Failed));

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Equal("preTraffic hook 'smoke' reported Failed", decision.Reason);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
    }

    [Fact]
    public void Decide_ReportForAnotherHookExecution_IsIgnored()
    {
        var waiting = Decide(New("Canary10Percent5Minutes", pre: "smoke"), s_t0).Deployment;

        var decision = DeploymentController.Decide(waiting, s_t0.AddSeconds(5), Hook("other-preTraffic", HookStatus.Failed));

        Assert.False(decision.Changed);
    }

    [Fact]
    public void Decide_HookThatNeverReports_RollsBackAtTheDefaultTenMinutes()
    {
        var waiting = Decide(New("Canary10Percent5Minutes", pre: "smoke"), s_t0).Deployment;

        Assert.False(Decide(waiting, s_t0.AddMinutes(10).AddTicks(-1)).Changed);
        var timedOut = Decide(waiting, s_t0.AddMinutes(10));

        Assert.Equal(DeploymentState.RolledBack, timedOut.Deployment.State);
        Assert.Equal("preTraffic hook 'smoke' did not report within 10m", timedOut.Reason);
    }

    [Fact]
    public void Decide_PostTrafficHook_RunsAfterFullTrafficAndItsSuccessSucceeds()
    {
        var shifting = Decide(New("Canary10Percent5Minutes", post: "verify"), s_t0).Deployment;

        var full = Decide(shifting, s_t0.AddMinutes(5));
        Assert.Equal(DeploymentState.PostTraffic, full.Deployment.State);
        Assert.Equal(AliasWeights.Only(2), full.Weights);
        Assert.Equal(new HookInvocation("postTraffic", "verify", "d-1-postTraffic"), full.InvokeHook);

        var done = DeploymentController.Decide(full.Deployment, s_t0.AddMinutes(6), Hook("d-1-postTraffic", HookStatus.Succeeded));
        Assert.Equal(DeploymentState.Succeeded, done.Deployment.State);
    }

    [Fact]
    public void Decide_PostTrafficHookFailed_RollsBackToTheOldVersion()
    {
        var full = Decide(Decide(New("AllAtOnce", post: "verify"), s_t0).Deployment, s_t0);
        Assert.Equal(DeploymentState.PostTraffic, Decide(New("AllAtOnce", post: "verify"), s_t0).Deployment.State);

        var decision = DeploymentController.Decide(full.Deployment, s_t0.AddMinutes(1), Hook("d-1-postTraffic", HookStatus.Failed));

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
    }

    [Fact]
    public void Decide_BudgetExhausted_WaitsInPendingWithTheReason()
    {
        var d = New("Canary10Percent5Minutes");

        var decision = DeploymentController.Decide(d, s_t0, DeploymentInputs.Quiet with { Budget = new(0, 3) });

        Assert.Equal(DeploymentState.Pending, decision.Deployment.State);
        Assert.False(decision.Changed);
        Assert.Equal("waiting: the error budget is exhausted; use --force if this is the fix", decision.Reason);
    }

    [Fact]
    public void Decide_BurnAboveMaxBurnRate_WaitsButForcedStarts()
    {
        var d = New("Canary10Percent5Minutes") with { BudgetGate = new(6) };
        var burning = DeploymentInputs.Quiet with { Budget = new(0.5, 8) };

        Assert.Equal(DeploymentState.Pending, DeploymentController.Decide(d, s_t0, burning).Deployment.State);
        Assert.Equal(DeploymentState.Shifting, DeploymentController.Decide(d with { Forced = true }, s_t0, burning).Deployment.State);
    }

    [Fact]
    public void Decide_InsideAFreezeWindow_WaitsUntilItEnds()
    {
        var d = New("Canary10Percent5Minutes");
        var frozen = DeploymentInputs.Quiet with { FreezeWindows = [new(s_t0.AddHours(-1), s_t0.AddHours(1), "Black Friday")] };

        var during = DeploymentController.Decide(d, s_t0, frozen);
        var after = DeploymentController.Decide(d, s_t0.AddHours(1), frozen);

        Assert.Equal(DeploymentState.Pending, during.Deployment.State);
        Assert.Equal("waiting: deployments are frozen by freeze window (Black Friday) until 2026-12-01T13:00:00Z", during.Reason);
        Assert.Equal(DeploymentState.Shifting, after.Deployment.State);
    }

    [Fact]
    public void Decide_FreezeWindowOfAnotherFunction_DoesNotHoldThisOne()
    {
        var d = New("Canary10Percent5Minutes");
        var frozen = DeploymentInputs.Quiet with
        {
            FreezeWindows = [new FreezeWindow(s_t0.AddHours(-1), s_t0.AddHours(1), "billing migration") { Id = "fw-1", Function = "billing" }],
        };

        Assert.Equal(DeploymentState.Shifting, DeploymentController.Decide(d, s_t0, frozen).Deployment.State);
        Assert.Equal(DeploymentState.Pending, DeploymentController.Decide(d with { FunctionName = "billing" }, s_t0, frozen).Deployment.State);
    }

    [Fact]
    public void Decide_ForcedInsideAFreezeWindow_Starts()
    {
        var d = New("Canary10Percent5Minutes") with { Forced = true };
        var frozen = DeploymentInputs.Quiet with { FreezeWindows = [new(s_t0.AddHours(-1), s_t0.AddHours(1), "holidays")] };

        Assert.Equal(DeploymentState.Shifting, DeploymentController.Decide(d, s_t0, frozen).Deployment.State);
    }

    [Fact]
    public void Decide_Stop_PutsTheAliasBackOnTheOldVersion()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;

        var decision = DeploymentController.Decide(d, s_t0.AddMinutes(1), DeploymentInputs.Quiet with { Command = DeploymentCommand.Stop });

        Assert.Equal(DeploymentState.Stopped, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
    }

    [Fact]
    public void Decide_Rollback_RollsBackAtOnce()
    {
        var d = Decide(New("Linear10PercentEvery10Minutes"), s_t0).Deployment;

        var decision = DeploymentController.Decide(d, s_t0.AddSeconds(1), DeploymentInputs.Quiet with { Command = DeploymentCommand.Rollback });

        Assert.Equal(DeploymentState.RolledBack, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
        Assert.Equal("rolled back by request", decision.Reason);
    }

    [Fact]
    public void Decide_PromoteMidCanary_MovesAllTrafficAndSkipsTheBake()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "canary", ["percent"] = "10", ["interval"] = "5m", ["bakeTime"] = "10m" }).Strategy!;
        var d = Decide(New("AllAtOnce") with { Strategy = strategy }, s_t0).Deployment;

        var decision = DeploymentController.Decide(d, s_t0.AddMinutes(1), DeploymentInputs.Quiet with { Command = DeploymentCommand.Promote });

        Assert.Equal(DeploymentState.Succeeded, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(2), decision.Weights);
    }

    [Fact]
    public void Decide_CanaryWithBakeTime_BakesAfterFullTraffic()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "canary", ["percent"] = "10", ["interval"] = "5m", ["bakeTime"] = "10m" }).Strategy!;
        var d = Decide(New("AllAtOnce") with { Strategy = strategy }, s_t0).Deployment;

        var full = Decide(d, s_t0.AddMinutes(5));

        Assert.Equal(DeploymentState.Baking, full.Deployment.State);
        Assert.Equal(DeploymentState.Succeeded, Decide(full.Deployment, s_t0.AddMinutes(15)).Deployment.State);
    }

    [Fact]
    public void Decide_Shadow_MirrorsAndWaitsForPromoteAfterItsDuration()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "shadow", ["percent"] = "20", ["duration"] = "1h" }).Strategy!;
        var start = Decide(New("AllAtOnce") with { Strategy = strategy }, s_t0);

        Assert.Equal(new AliasWeights(1, 2, 0.2, TrafficMode.Shadow), start.Weights);
        var later = Decide(start.Deployment, s_t0.AddHours(2));
        Assert.False(later.Changed);
        Assert.Equal("Shadow ran for 1h; waiting for promote or rollback", later.Reason);

        var promoted = DeploymentController.Decide(start.Deployment, s_t0.AddHours(2), DeploymentInputs.Quiet with { Command = DeploymentCommand.Promote });
        Assert.Equal(AliasWeights.Only(2), promoted.Weights);
    }

    [Fact]
    public void Decide_Ab_SplitsStickyByKey()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "ab", ["percent"] = "50", ["key"] = "cookie:sid", ["duration"] = "1d" }).Strategy!;

        var start = Decide(New("AllAtOnce") with { Strategy = strategy }, s_t0);

        Assert.Equal(new AliasWeights(1, 2, 0.5, TrafficMode.Sticky), start.Weights);
    }

    [Theory]
    [InlineData(DeploymentState.Succeeded)]
    [InlineData(DeploymentState.RolledBack)]
    [InlineData(DeploymentState.Stopped)]
    [InlineData(DeploymentState.Failed)]
    public void Decide_TerminalDeployment_NeverChangesEvenOnCommandOrAlarm(DeploymentState state)
    {
        var d = New("Canary10Percent5Minutes") with { State = state };
        var inputs = DeploymentInputs.Quiet with { Command = DeploymentCommand.Rollback, Alarms = [new("errors", true, null)] };

        var decision = DeploymentController.Decide(d, s_t0.AddHours(1), inputs);

        Assert.False(decision.Changed);
        Assert.Null(decision.Weights);
        Assert.Equal(d, decision.Deployment);
    }

    [Fact]
    public void Fail_InProgressDeployment_FailsAndRestoresTheOldVersion()
    {
        var d = Decide(New("Canary10Percent5Minutes"), s_t0).Deployment;

        var decision = DeploymentController.Fail(d, s_t0.AddMinutes(1), "version 2 was deleted");

        Assert.Equal(DeploymentState.Failed, decision.Deployment.State);
        Assert.Equal(AliasWeights.Only(1), decision.Weights);
    }

    [Theory]
    [InlineData(DeploymentState.Pending, 1, null)]
    [InlineData(DeploymentState.PreTraffic, 1, null)]
    [InlineData(DeploymentState.Baking, 2, null)]
    [InlineData(DeploymentState.Succeeded, 2, null)]
    [InlineData(DeploymentState.RolledBack, 1, null)]
    [InlineData(DeploymentState.Shifting, 1, 2)]
    public void WeightsFor_PersistedState_GivesTheAliasWeightsItImplies(DeploymentState state, int version, int? additional)
    {
        var weights = DeploymentController.WeightsFor(New("Canary10Percent5Minutes") with { State = state });

        Assert.Equal(version, weights.Version);
        Assert.Equal(additional, weights.AdditionalVersion);
    }

    [Fact]
    public void Decide_EveryDecisionOfACompleteRun_IsALegalTransition()
    {
        var d = New("Linear10PercentEvery2Minutes", pre: "smoke", post: "verify");
        var now = s_t0;
        var inputs = new DeploymentInputs([], new Dictionary<string, HookStatus> { ["d-1-preTraffic"] = HookStatus.Succeeded, ["d-1-postTraffic"] = HookStatus.Succeeded },
            CanaryVerdict.NotCompared, BudgetObservation.Unknown, [], DeploymentCommand.None);
        var states = new List<DeploymentState> { d.State };
        while (!DeploymentTransitions.IsTerminal(d.State) && now < s_t0.AddHours(1))
        {
            var decision = DeploymentController.Decide(d, now, inputs);
            if (decision.Changed)
            {
                Assert.True(DeploymentTransitions.IsAllowed(d.State, decision.Deployment.State), $"{d.State} → {decision.Deployment.State}");
                states.Add(decision.Deployment.State);
            }

            d = decision.Deployment;
            now = now.AddSeconds(30);
        }

        Assert.Equal(DeploymentState.Succeeded, d.State);
        // Nine shifting steps at 10..90%; the tenth (100%) is taken together with the move to postTraffic.
        Assert.Equal([DeploymentState.Pending, DeploymentState.PreTraffic, .. Enumerable.Repeat(DeploymentState.Shifting, 9), DeploymentState.PostTraffic, DeploymentState.Succeeded], states);
    }

    private static DeploymentInputs Hook(string id, HookStatus status) =>
        DeploymentInputs.Quiet with { HookResults = new Dictionary<string, HookStatus> { [id] = status } };

    private static DeploymentDecision Decide(Deployment d, DateTimeOffset now) => DeploymentController.Decide(d, now, DeploymentInputs.Quiet);

    private static Deployment New(string strategy, string? pre = null, string? post = null) =>
        Deployment.Create("d-1", "orders", "live", 1, 2, DeploymentStrategyParser.Parse(strategy).Strategy!,
            new DeploymentHooks(pre, post, DeploymentHooks.DefaultTimeout), [], null, forced: false, s_t0);
}
