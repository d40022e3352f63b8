namespace Nimbus.Core.Deployments;

/// <summary>A deployment's error-budget gate: refuse to start while the budget is exhausted or burning faster than <see cref="MaxBurnRate"/>.</summary>
public sealed record BudgetGateSettings(double? MaxBurnRate);
