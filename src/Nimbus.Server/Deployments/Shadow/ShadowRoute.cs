using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>A shadow deployment in force on an alias: which calls are copied (<see cref="Sampler"/>) and to which version.</summary>
public sealed record ShadowRoute(string DeploymentId, int ToVersion, ShadowSampler Sampler);
