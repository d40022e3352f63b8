namespace Nimbus.Core.Deployments;

/// <summary>The external view of a deployment: every state before the end is <see cref="InProgress"/>.</summary>
public enum DeploymentStatus
{
    InProgress,
    Succeeded,
    RolledBack,
    Stopped,
    Failed,
}
