namespace Nimbus.Core.Deployments;

/// <summary>
/// Decides a deployment's next step from its persisted state, the time and what is observed. Pure and deterministic:
/// a restart that reloads the same deployment and sees the same inputs makes the same decision, so the loop that
/// persists each decision before acting resumes exactly where it was.
/// </summary>
public static class DeploymentController
{
    public const string PreTrafficPhase = "preTraffic";
    public const string PostTrafficPhase = "postTraffic";

    public static DeploymentDecision Decide(Deployment deployment, DateTimeOffset now, DeploymentInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(inputs);
        if (DeploymentTransitions.IsTerminal(deployment.State))
        {
            return Stay(deployment, $"already {deployment.State}");
        }

        switch (inputs.Command)
        {
            case DeploymentCommand.Rollback:
                return End(deployment, now, DeploymentState.RolledBack, "rolled back by request");
            case DeploymentCommand.Stop:
                return End(deployment, now, DeploymentState.Stopped, "stopped by request; the alias is back on the old version");
            case DeploymentCommand.Promote when deployment.State != DeploymentState.PostTraffic:
                return FullTraffic(deployment, now, "promoted by request", skipBake: true);
        }

        if (IsServingNewVersion(deployment.State)
            && inputs.Alarms.FirstOrDefault(alarm => alarm.InAlarm) is { } alarm)
        {
            var detail = alarm.Detail is null ? "" : $": {alarm.Detail}";
            return End(deployment, now, DeploymentState.RolledBack, $"alarm '{alarm.Name}' is in ALARM on version {deployment.ToVersion}{detail}")
                with { RolledBackBy = alarm };
        }

        if (deployment.State is DeploymentState.Shifting or DeploymentState.Baking
            && inputs.Verdict.Kind == CanaryVerdictKind.Unhealthy)
        {
            return End(deployment, now, DeploymentState.RolledBack, $"comparison with version {deployment.FromVersion}: {inputs.Verdict.Reason}");
        }

        return deployment.State switch
        {
            DeploymentState.Pending => Start(deployment, now, inputs),
            DeploymentState.PreTraffic => AwaitHook(deployment, now, inputs, PreTrafficPhase),
            DeploymentState.Shifting => Shift(deployment, now),
            DeploymentState.Baking => Bake(deployment, now),
            _ => AwaitHook(deployment, now, inputs, PostTrafficPhase),
        };
    }

    /// <summary>
    /// The deployment cannot go on (its version or alias is gone, its hook function does not exist): Failed, with the
    /// alias back on the old version.
    /// </summary>
    public static DeploymentDecision Fail(Deployment deployment, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return DeploymentTransitions.IsTerminal(deployment.State)
            ? Stay(deployment, $"already {deployment.State}")
            : End(deployment, now, DeploymentState.Failed, reason);
    }

    /// <summary>
    /// The alias weights a persisted state implies. The loop writes these after a restart so an alias write lost to a
    /// crash (the step was persisted, the write was not done) is made good without deciding anything again.
    /// </summary>
    public static AliasWeights WeightsFor(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.State switch
        {
            DeploymentState.Shifting => WeightsOf(deployment, WeightSchedule.For(deployment.Strategy)[deployment.StepIndex]),
            DeploymentState.Baking or DeploymentState.PostTraffic or DeploymentState.Succeeded => AliasWeights.Only(deployment.ToVersion),
            _ => AliasWeights.Only(deployment.FromVersion),
        };
    }

    /// <summary>The hook execution id of a phase: derived from the deployment, so a restart asks for the same report.</summary>
    public static string HookExecutionId(Deployment deployment, string phase) => $"{deployment.Id}-{phase}";

    private static bool IsServingNewVersion(DeploymentState state) =>
        state is DeploymentState.Shifting or DeploymentState.Baking or DeploymentState.PostTraffic;

    private static DeploymentDecision Start(Deployment deployment, DateTimeOffset now, DeploymentInputs inputs)
    {
        if (!deployment.Forced && FreezeWindow.ActiveFor(inputs.FreezeWindows, deployment.FunctionName, now) is { } freeze)
        {
            return Stay(deployment, $"waiting: deployments are frozen by {freeze.Describe()}");
        }

        var gate = BudgetGate.Evaluate(deployment.BudgetGate, inputs.Budget, deployment.Forced);
        if (!gate.Open)
        {
            return Stay(deployment, $"waiting: {gate.Reason}");
        }

        if (deployment.Hooks.PreTraffic is { } hook)
        {
            var id = HookExecutionId(deployment, PreTrafficPhase);
            var next = Move(deployment, now, DeploymentState.PreTraffic, 0, $"running preTraffic hook '{hook}'") with { HookExecutionId = id };
            return new(next, null, new(PreTrafficPhase, hook, id), next.Reason!, true);
        }

        return EnterShift(deployment, now, "started");
    }

    private static DeploymentDecision AwaitHook(Deployment deployment, DateTimeOffset now, DeploymentInputs inputs, string phase)
    {
        var hook = phase == PreTrafficPhase ? deployment.Hooks.PreTraffic : deployment.Hooks.PostTraffic;
        if (deployment.HookExecutionId is { } id && inputs.HookResults.TryGetValue(id, out var status))
        {
            if (status == HookStatus.Failed)
            {
                return End(deployment, now, DeploymentState.RolledBack, $"{phase} hook '{hook}' reported Failed");
            }

            return phase == PreTrafficPhase
                ? EnterShift(deployment, now, $"preTraffic hook '{hook}' succeeded")
                : Finish(deployment, now, $"postTraffic hook '{hook}' succeeded");
        }

        if (now - deployment.Since >= deployment.Hooks.Timeout)
        {
            return End(deployment, now, DeploymentState.RolledBack,
                $"{phase} hook '{hook}' did not report within {DurationText.Format(deployment.Hooks.Timeout)}");
        }

        return Stay(deployment, $"waiting for {phase} hook '{hook}'");
    }

    private static DeploymentDecision EnterShift(Deployment deployment, DateTimeOffset now, string why)
    {
        var schedule = WeightSchedule.For(deployment.Strategy);
        if (schedule.Count == 1 && WeightSchedule.EndsAtFullTraffic(deployment.Strategy))
        {
            return FullTraffic(deployment, now, $"{why}; all traffic on version {deployment.ToVersion}", skipBake: false);
        }

        return StepTo(deployment, now, schedule[0], now, why);
    }

    private static DeploymentDecision Shift(Deployment deployment, DateTimeOffset now)
    {
        var schedule = WeightSchedule.For(deployment.Strategy);
        var current = schedule[deployment.StepIndex];
        if (deployment.StepIndex == schedule.Count - 1)
        {
            // Only shadow and A/B stay on their last step: they end by promote or rollback.
            return now - deployment.Since >= deployment.Strategy.Duration
                ? Stay(deployment, $"{deployment.Strategy.Kind} ran for {DurationText.Format(deployment.Strategy.Duration)}; waiting for promote or rollback")
                : Stay(deployment, $"{deployment.Strategy.Kind} running at {DurationText.Format(current.NewVersionPercent)}%");
        }

        var next = schedule[deployment.StepIndex + 1];
        var gap = next.StartsAfter - current.StartsAfter;
        var due = deployment.Since + gap;
        if (now < due)
        {
            return Stay(deployment, $"step {deployment.StepIndex + 1} of {schedule.Count} at {DurationText.Format(current.NewVersionPercent)}%; next at {due:u}");
        }

        if (next.Index == schedule.Count - 1)
        {
            return FullTraffic(deployment, now, $"step {next.Index + 1} of {schedule.Count}: all traffic on version {deployment.ToVersion}", skipBake: false);
        }

        // On time (or late by less than a step, as a polling loop is): keep the schedule exact. Later than that (the
        // server was down): give the new version a whole step at this weight, watched, before the next.
        var startedAt = now - due < gap ? due : now;
        return StepTo(deployment, now, next, startedAt, $"step {next.Index + 1} of {schedule.Count}");
    }

    private static DeploymentDecision Bake(Deployment deployment, DateTimeOffset now) =>
        now - deployment.Since >= deployment.Strategy.BakeTime
            ? Finish(deployment, now, $"baked for {DurationText.Format(deployment.Strategy.BakeTime)}")
            : Stay(deployment, $"baking until {deployment.Since + deployment.Strategy.BakeTime:u}; version {deployment.FromVersion} kept warm");

    private static DeploymentDecision StepTo(Deployment deployment, DateTimeOffset now, WeightStep step, DateTimeOffset startedAt, string why)
    {
        var reason = $"{why}: {DurationText.Format(step.NewVersionPercent)}% {step.Mode switch
        {
            TrafficMode.Shadow => "mirrored to",
            TrafficMode.Sticky => "by key on",
            _ => "on",
        }} version {deployment.ToVersion}";
        var next = Move(deployment, now, DeploymentState.Shifting, step.Index, reason) with { Since = startedAt, HookExecutionId = null };
        return new(next, WeightsOf(deployment, step), null, reason, true);
    }

    /// <summary>All traffic on the new version, then bake (unless promoted), the postTraffic hook, or done.</summary>
    private static DeploymentDecision FullTraffic(Deployment deployment, DateTimeOffset now, string why, bool skipBake)
    {
        var weights = AliasWeights.Only(deployment.ToVersion);
        var lastStep = WeightSchedule.For(deployment.Strategy).Count - 1;
        if (!skipBake && deployment.Strategy.BakeTime > TimeSpan.Zero)
        {
            var reason = $"{why}; baking for {DurationText.Format(deployment.Strategy.BakeTime)}";
            var baking = Move(deployment, now, DeploymentState.Baking, lastStep, reason) with { HookExecutionId = null };
            return new(baking, weights, null, reason, true);
        }

        var finished = Finish(deployment with { StepIndex = lastStep }, now, why);
        return finished with { Weights = weights };
    }

    /// <summary>After full traffic (and the bake): the postTraffic hook if there is one, otherwise done.</summary>
    private static DeploymentDecision Finish(Deployment deployment, DateTimeOffset now, string why)
    {
        if (deployment.State != DeploymentState.PostTraffic && deployment.Hooks.PostTraffic is { } hook)
        {
            var id = HookExecutionId(deployment, PostTrafficPhase);
            var reason = $"{why}; running postTraffic hook '{hook}'";
            var next = Move(deployment, now, DeploymentState.PostTraffic, deployment.StepIndex, reason) with { HookExecutionId = id };
            return new(next, null, new(PostTrafficPhase, hook, id), reason, true);
        }

        var done = Move(deployment, now, DeploymentState.Succeeded, deployment.StepIndex, why) with { HookExecutionId = null };
        return new(done, null, null, why, true);
    }

    /// <summary>Rolled back or stopped: the alias goes back to the old version at once.</summary>
    private static DeploymentDecision End(Deployment deployment, DateTimeOffset now, DeploymentState state, string why)
    {
        var next = Move(deployment, now, state, deployment.StepIndex, why) with { HookExecutionId = null };
        return new(next, AliasWeights.Only(deployment.FromVersion), null, why, true);
    }

    private static DeploymentDecision Stay(Deployment deployment, string why) => new(deployment, null, null, why, false);

    private static Deployment Move(Deployment deployment, DateTimeOffset now, DeploymentState state, int stepIndex, string reason)
    {
        if (!DeploymentTransitions.IsAllowed(deployment.State, state))
        {
            throw new InvalidOperationException($"deployment {deployment.Id}: {deployment.State} → {state} is not a legal transition");
        }

        return deployment with { State = state, StepIndex = stepIndex, Since = now, Reason = reason, UpdatedAt = now };
    }

    private static AliasWeights WeightsOf(Deployment deployment, WeightStep step) =>
        step.NewVersionPercent >= 100 && step.Mode == TrafficMode.Weighted
            ? AliasWeights.Only(deployment.ToVersion)
            : new(deployment.FromVersion, deployment.ToVersion, step.NewVersionWeight, step.Mode);
}
