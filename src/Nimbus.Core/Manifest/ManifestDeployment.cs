using Nimbus.Core.Deployments;

namespace Nimbus.Core.Manifest;

/// <summary>
/// A function's <c>deployment:</c> block: how <c>nimbus deploy</c> moves the function's alias to the version it
/// publishes. <see cref="StrategyFields"/> is the strategy as the API takes it (a name or its settings).
/// </summary>
public sealed record ManifestDeployment(
    DeploymentStrategy Strategy,
    IReadOnlyDictionary<string, string?> StrategyFields,
    IReadOnlyList<string> Alarms,
    DeploymentHooksRequest? Hooks,
    BudgetGateSettings? BudgetGate);
