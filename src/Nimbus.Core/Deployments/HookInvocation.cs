namespace Nimbus.Core.Deployments;

/// <summary>A hook the controller asks to run: <see cref="FunctionName"/> is invoked with the deployment's details and <see cref="HookExecutionId"/>.</summary>
public sealed record HookInvocation(string Phase, string FunctionName, string HookExecutionId);
