using System.Collections.Concurrent;
using Nimbus.Core.Deployments;

namespace Nimbus.Server.Deployments;

/// <summary>
/// The A/B splits in force, by function and alias. Not persisted: the deployment loop sets each one from the persisted
/// deployment on every tick (so a restart restores it on the first tick) and clears it when the alias leaves sticky mode.
/// </summary>
public sealed class StickyRoutes
{
    private readonly ConcurrentDictionary<(string Function, string Alias), StickySplit> _splits = new();

    public StickySplit? Get(string function, string alias) => _splits.GetValueOrDefault((function, alias));

    public void Set(string function, string alias, StickySplit? split)
    {
        if (split is null)
        {
            _splits.TryRemove((function, alias), out _);
        }
        else
        {
            _splits[(function, alias)] = split;
        }
    }
}
