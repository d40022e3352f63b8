using System.Collections.Concurrent;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The tally of every shadow deployment this process has mirrored, by deployment id. In memory: a restart starts the
/// counts again from zero (the deployment itself, and its mirroring, continue).
/// </summary>
public sealed class ShadowReports
{
    private readonly ConcurrentDictionary<string, ShadowTally> _tallies = new(StringComparer.Ordinal);

    public ShadowTally For(string deploymentId) => _tallies.GetOrAdd(deploymentId, _ => new ShadowTally());

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
