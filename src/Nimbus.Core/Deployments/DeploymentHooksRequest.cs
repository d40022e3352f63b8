namespace Nimbus.Core.Deployments;

/// <summary>The hooks of a deployment as the API and manifest take them; <see cref="Timeout"/> such as <c>10m</c> (at most 1h).</summary>
public sealed record DeploymentHooksRequest(string? PreTraffic, string? PostTraffic, string? Timeout);
