namespace Nimbus.Core.Deployments;

/// <summary>
/// A deployment as persisted: what it moves, how, and where it is. <see cref="Since"/> is when the current state (or,
/// while shifting, the current step) began; the controller's timing is measured from it, so the same persisted
/// deployment, time and inputs always give the same decision.
/// </summary>
public sealed record Deployment(
    string Id,
    string FunctionName,
    string Alias,
    int FromVersion,
    int ToVersion,
    DeploymentStrategy Strategy,
    DeploymentHooks Hooks,
    IReadOnlyList<string> Alarms,
    BudgetGateSettings? BudgetGate,
    bool Forced,
    DeploymentState State,
    int StepIndex,
    DateTimeOffset Since,
    string? HookExecutionId,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public DeploymentStatus Status => DeploymentTransitions.ToStatus(State);

    /// <summary>A new deployment, not yet started.</summary>
    public static Deployment Create(
        string id, string functionName, string alias, int fromVersion, int toVersion, DeploymentStrategy strategy,
        DeploymentHooks hooks, IReadOnlyList<string> alarms, BudgetGateSettings? budgetGate, bool forced, DateTimeOffset now) =>
        new(id, functionName, alias, fromVersion, toVersion, strategy, hooks, alarms, budgetGate, forced,
            DeploymentState.Pending, 0, now, null, "created", now, now);
}
