using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Storage;

/// <summary>
/// Where deployments persist (docs/design/deployments.md). Every decision is written here before the alias is
/// touched, so a restart resumes from the last written step.
/// </summary>
public interface IDeploymentStore
{
    Task InsertDeploymentAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored deployment when it is still at <paramref name="expectedUpdatedAt"/>, clearing the pending
    /// command only if it is still <paramref name="consumed"/> (a stop that arrives meanwhile is kept); false when
    /// someone else moved it first (the caller re-reads and decides again).
    /// </summary>
    Task<bool> UpdateDeploymentAsync(Deployment deployment, DateTimeOffset expectedUpdatedAt, DeploymentCommand consumed, CancellationToken cancellationToken);

    Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; all functions when <paramref name="functionName"/> is null.</summary>
    Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? functionName, int limit, CancellationToken cancellationToken);

    /// <summary>Every deployment not yet in a terminal state, oldest first.</summary>
    Task<IReadOnlyList<Deployment>> ListActiveDeploymentsAsync(CancellationToken cancellationToken);

    /// <summary>Records a user's stop/promote/rollback for the loop to apply; false when the deployment is unknown or ended.</summary>
    Task<bool> SetDeploymentCommandAsync(string id, DeploymentCommand command, CancellationToken cancellationToken);

    Task<DeploymentCommand> GetDeploymentCommandAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a hook's report; the first report for a hook execution wins.</summary>
    Task RecordHookResultAsync(string deploymentId, string hookExecutionId, HookStatus status, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, HookStatus>> GetHookResultsAsync(string deploymentId, CancellationToken cancellationToken);

    /// <summary>The recorded steps (every successful <see cref="UpdateDeploymentAsync"/>) at or after
    /// <paramref name="since"/>, newest first; all functions when <paramref name="functionName"/> is null.</summary>
    Task<IReadOnlyList<DeploymentStepRecord>> ListDeploymentStepsAsync(string? functionName, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Saves a shadow deployment's latest report, replacing the one saved before.</summary>
    Task SaveShadowReportAsync(string deploymentId, ShadowReport report, CancellationToken cancellationToken);

    /// <summary>The last report saved for a shadow deployment, or null (also when the saved one cannot be read).</summary>
    Task<ShadowReport?> GetShadowReportAsync(string deploymentId, CancellationToken cancellationToken);
}
