namespace Nimbus.Core.Deployments;

/// <summary>What a lifecycle hook reported (as CodeDeploy's PutLifecycleEventHookExecutionStatus).</summary>
public enum HookStatus
{
    Succeeded,
    Failed,
}
