using Nimbus.Core.Routing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Gateway;

/// <summary>Holds the current routing snapshot and replaces it, whole, after every change in the store.</summary>
public sealed class RoutingState
{
    private readonly INimbusStore _store;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile RoutingSnapshot _current = RoutingSnapshot.Empty;
    private long _generation;

    public RoutingState(INimbusStore store) => _store = store;

    public RoutingSnapshot Current => _current;

    /// <summary>Raised after a new snapshot is in place.</summary>
    public event Action<RoutingSnapshot>? Changed;

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var data = await _store.LoadRoutingDataAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = RoutingSnapshot.Build(++_generation, data.Functions, data.Versions, data.Aliases, data.ProvisionedConcurrency);
            _current = snapshot;
            Changed?.Invoke(snapshot);
        }
        finally
        {
            _reloadLock.Release();
        }
    }
}
