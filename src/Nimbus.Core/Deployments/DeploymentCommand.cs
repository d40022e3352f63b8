namespace Nimbus.Core.Deployments;

/// <summary>What a user asked of a deployment since the last decision.</summary>
public enum DeploymentCommand
{
    None,
    Stop,
    Promote,
    Rollback,
}
