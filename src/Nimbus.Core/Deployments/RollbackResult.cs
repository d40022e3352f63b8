namespace Nimbus.Core.Deployments;

/// <summary>What <c>POST …/aliases/{alias}/rollback</c> did: the alias moved from one version to another, and the deployment it stopped, if any.</summary>
public sealed record RollbackResult(string FunctionName, string Alias, string FromVersion, string ToVersion, string? StoppedDeploymentId);
