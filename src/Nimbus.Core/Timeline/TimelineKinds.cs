namespace Nimbus.Core.Timeline;

/// <summary>The kinds of <see cref="TimelineEvent"/>; <see cref="IsChange"/> tells changes (what an operator did) from
/// what the platform observed (alarm transitions, new error groups).</summary>
public static class TimelineKinds
{
    public const string FunctionCreated = "function.created";
    public const string FunctionUpdated = "function.updated";
    public const string VersionPublished = "version.published";
    public const string AliasUpdated = "alias.updated";
    public const string DeploymentStarted = "deployment.started";
    public const string DeploymentStep = "deployment.step";
    public const string DeploymentPromoted = "deployment.promoted";
    public const string DeploymentEnded = "deployment.ended";
    public const string DeploymentRolledBack = "deployment.rolledBack";
    public const string AlarmTransition = "alarm.transition";
    public const string ErrorGroupNew = "errorGroup.new";

    /// <summary>A management action from the audit log (<see cref="AuditChanges"/>), with who made it.</summary>
    public const string ManagementAction = "audit.action";

    public static bool IsChange(string kind) => kind is not (AlarmTransition or ErrorGroupNew);
}
