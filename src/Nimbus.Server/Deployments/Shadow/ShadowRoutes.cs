using System.Collections.Concurrent;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The shadow deployments in force, by function and alias. Not persisted: the deployment loop sets each one from the
/// persisted deployment on every tick (so a restart restores it on the first tick) and clears it when the deployment
/// leaves shadow mode. Setting the same route again keeps its sampler, so the share stays exact across ticks.
/// </summary>
public sealed class ShadowRoutes
{
    private readonly ConcurrentDictionary<(string Function, string Alias), ShadowRoute> _routes = new();

    /// <summary>Whether any alias is mirrored: the invoker's one check on the hot path when none is.</summary>
    public bool Any => !_routes.IsEmpty;

    public ShadowRoute? Get(string function, string alias) => _routes.GetValueOrDefault((function, alias));

    public void Set(string function, string alias, string deploymentId, int toVersion, double percent)
    {
        var key = (function, alias);
        if (_routes.TryGetValue(key, out var current) && current.DeploymentId == deploymentId && current.ToVersion == toVersion
            && current.Sampler.Percent.Equals(percent))
        {
            return;
        }

        _routes[key] = new ShadowRoute(deploymentId, toVersion, new ShadowSampler(percent));
    }

    public void Clear(string function, string alias) => _routes.TryRemove((function, alias), out _);
}
