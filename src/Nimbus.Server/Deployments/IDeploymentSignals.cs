using Nimbus.Core.Deployments;

namespace Nimbus.Server.Deployments;

/// <summary>
/// Where the loop learns the new version's alarm states, the canary comparison and the error budget. A seam until the
/// alarms (issue 10) and metrics (issue 9) work lands: <see cref="NoDeploymentSignals"/> reports nothing, so
/// deployments are gated by hooks, commands and time only.
/// </summary>
public interface IDeploymentSignals
{
    Task<DeploymentObservation> ObserveAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken);
}
