using System.Collections.Concurrent;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The tally of every shadow deployment this process has mirrored, by deployment id. The deployment loop saves each
/// one to the deployment store when it changed and resumes it from there after a restart (copies counted after the
/// last save, at most a tick's worth, are lost with the process).
/// </summary>
public sealed class ShadowReports
{
    private readonly ConcurrentDictionary<string, ShadowTally> _tallies = new(StringComparer.Ordinal);

    public ShadowTally For(string deploymentId) => _tallies.GetOrAdd(deploymentId, _ => new ShadowTally());

    public bool Tracks(string deploymentId) => _tallies.ContainsKey(deploymentId);

    /// <summary>Continues a saved report (after a restart), unless this process already counts the deployment.</summary>
    public ShadowTally Resume(string deploymentId, ShadowReport saved) => _tallies.GetOrAdd(deploymentId, _ => ShadowTally.Resume(saved));

    /// <summary>
    /// For a shadow deployment this process does not count yet (it started after a restart, or ended before it), continues
    /// the report saved last in <paramref name="store"/>, if any.
    /// </summary>
    public async Task ResumeSavedAsync(Deployment deployment, IDeploymentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(store);
        if (deployment.Strategy.Kind != DeploymentStrategyKind.Shadow || Tracks(deployment.Id))
        {
            return;
        }

        if (await store.GetShadowReportAsync(deployment.Id, cancellationToken).ConfigureAwait(false) is { } saved)
        {
            Resume(deployment.Id, saved);
        }
    }

    /// <summary>The report of a shadow deployment (zeros before its first copy); null for any other strategy.</summary>
    public ShadowReport? Report(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Strategy.Kind != DeploymentStrategyKind.Shadow)
        {
            return null;
        }

        return _tallies.TryGetValue(deployment.Id, out var tally) ? tally.Snapshot() : ShadowReport.Empty;
    }
}
