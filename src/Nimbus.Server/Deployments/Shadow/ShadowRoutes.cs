using System.Collections.Immutable;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The shadow deployments in force, by function and alias. Not persisted: the deployment loop sets each one from the
/// persisted deployment on every tick (so a restart restores it on the first tick) and clears it when the deployment
/// leaves shadow mode. Setting the same route again keeps its sampler, so the share stays exact across ticks.
/// Readers (the invoker, on every call) see an immutable snapshot without a lock; the loop swaps in a new one.
/// </summary>
public sealed class ShadowRoutes
{
    private readonly Lock _write = new();
    private ImmutableDictionary<(string Function, string Alias), ShadowRoute> _routes = ImmutableDictionary<(string Function, string Alias), ShadowRoute>.Empty;

    /// <summary>Whether any alias is mirrored: the invoker's one check on the hot path when none is.</summary>
    public bool Any => !Volatile.Read(ref _routes).IsEmpty;

    public ShadowRoute? Get(string function, string alias) => Volatile.Read(ref _routes).GetValueOrDefault((function, alias));

    public void Set(string function, string alias, string deploymentId, int toVersion, double percent)
    {
        lock (_write)
        {
            var key = (function, alias);
            if (_routes.TryGetValue(key, out var current) && current.DeploymentId == deploymentId && current.ToVersion == toVersion
                && current.Sampler.Percent.Equals(percent))
            {
                return;
            }

            Volatile.Write(ref _routes, _routes.SetItem(key, new ShadowRoute(deploymentId, toVersion, new ShadowSampler(percent))));
        }
    }

    public void Clear(string function, string alias)
    {
        if (!Volatile.Read(ref _routes).ContainsKey((function, alias)))
        {
            return;
        }

        lock (_write)
        {
            Volatile.Write(ref _routes, _routes.Remove((function, alias)));
        }
    }
}
