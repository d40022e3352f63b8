using Nimbus.Core.Deployments;

namespace Nimbus.Server.Deployments;

/// <summary>No alarms, no comparison, no budget figures yet (see <see cref="IDeploymentSignals"/>).</summary>
public sealed class NoDeploymentSignals : IDeploymentSignals
{
    public static NoDeploymentSignals Instance { get; } = new();

    public Task<DeploymentObservation> ObserveAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(DeploymentObservation.None);
}
