namespace Nimbus.Server.Deployments;

/// <summary>The event a lifecycle hook function receives.</summary>
public sealed record HookPayload(string DeploymentId, string HookExecutionId, string FunctionName, string Alias, string FromVersion, string ToVersion);
