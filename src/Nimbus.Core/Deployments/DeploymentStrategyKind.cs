namespace Nimbus.Core.Deployments;

/// <summary>How a deployment moves an alias from one version to another (docs/deployments.md).</summary>
public enum DeploymentStrategyKind
{
    AllAtOnce,
    Canary,
    Linear,
    BlueGreen,
    Shadow,
    AB,
}
