namespace Nimbus.Core.Deployments;

/// <summary>A watched alarm of a deployment as the API shows it: its name, <c>OK</c>, <c>ALARM</c> or
/// <c>INSUFFICIENT_DATA</c>, and the evaluator's reason (which datapoints breached).</summary>
public sealed record DeploymentAlarmInfo(string Name, string State, string? Reason);
