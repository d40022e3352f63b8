namespace Nimbus.Core.Deployments;

/// <summary>The outcome of comparing the new version with the old one over the same window.</summary>
public enum CanaryVerdictKind
{
    /// <summary>Too few calls on either side to judge: the deployment goes on, gated by alarms only.</summary>
    Inconclusive,
    Healthy,
    Unhealthy,
}
