namespace Nimbus.Core.Deployments;

/// <summary>
/// The controller's answer: the deployment to persist (before anything acts), the alias weights to write (null: leave
/// the alias as it is), a hook to invoke, and the reason in words. <see cref="Changed"/> is false when nothing moved.
/// </summary>
public sealed record DeploymentDecision(Deployment Deployment, AliasWeights? Weights, HookInvocation? InvokeHook, string Reason, bool Changed)
{
    /// <summary>The watched alarm whose ALARM state rolled the deployment back (null for any other decision), so the loop
    /// can notify the alarm's targets with its datapoints.</summary>
    public WatchedAlarm? RolledBackBy { get; init; }
}
