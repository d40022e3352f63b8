using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Gateway;

/// <summary>
/// Holds the current routing snapshot and replaces it, whole, after every change in the store: at once after a
/// local write (<see cref="ReloadAsync"/>), and within one poll after any other node's write
/// (<see cref="RefreshIfChangedAsync"/>, driven by <see cref="RoutingReconciler"/>).
/// </summary>
/// <remarks>
/// A stored function that cannot be served (its row is unreadable, or its routes break today's limits, e.g. a
/// 10,000-segment route saved by an older build) is logged and left out; every other function is served.
/// </remarks>
public sealed partial class RoutingState
{
    private readonly INimbusStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile RoutingSnapshot _current = RoutingSnapshot.Empty;

    public RoutingState(INimbusStore store, ILogger<RoutingState>? logger = null)
    {
        _store = store;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The snapshot the gateway serves; its <see cref="RoutingSnapshot.Generation"/> is the store generation it was read at.</summary>
    public RoutingSnapshot Current => _current;

    /// <summary>Raised after a new snapshot is in place.</summary>
    public event Action<RoutingSnapshot>? Changed;

    /// <summary>Reads the store and swaps in a new snapshot.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var data = await _store.LoadRoutingDataAsync(cancellationToken).ConfigureAwait(false);
            foreach (var skipped in data.Skipped)
            {
                Log.RowSkipped(_logger, skipped.Table, skipped.Key, skipped.Reason);
            }

            var snapshot = RoutingSnapshot.Build(data.Generation, Servable(data.Functions), data.Versions, data.Aliases, data.ProvisionedConcurrency);
            foreach (var issue in snapshot.Routes.Issues)
            {
                Log.RouteIgnored(_logger, issue.Binding.FunctionName, issue.Binding.Route.Method, issue.ToString());
            }

            _current = snapshot;
            Changed?.Invoke(snapshot);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>Reloads when the store's generation moved since the current snapshot was read, whoever wrote.</summary>
    /// <returns>True when it reloaded.</returns>
    public async Task<bool> RefreshIfChangedAsync(CancellationToken cancellationToken)
    {
        var generation = await _store.GetControlGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (generation == _current.Generation)
        {
            return false;
        }

        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private List<FunctionRecord> Servable(IReadOnlyList<FunctionRecord> functions)
    {
        var servable = new List<FunctionRecord>(functions.Count);
        foreach (var function in functions)
        {
            var problem = NameRules.CheckFunctionName(function.Name) is { } nameError
                ? $"name: {nameError}"
                : RouteRules.Check(function.Config.Routes) is [var first, ..] ? $"{first.Field}: {first.Message}" : null;
            if (problem is not null)
            {
                Log.FunctionSkipped(_logger, function.Name, problem);
                continue;
            }

            servable.Add(function);
        }

        return servable;
    }

    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Error, "Stored {Table} row {Key} cannot be read and is not served: {Reason}")]
        public static partial void RowSkipped(ILogger logger, string table, string key, string reason);

        [LoggerMessage(7002, LogLevel.Error, "Stored function {FunctionName} is not served: its configuration breaks a limit ({Problem}); fix it with PUT or delete it")]
        public static partial void FunctionSkipped(ILogger logger, string functionName, string problem);

        [LoggerMessage(7003, LogLevel.Warning, "Function {FunctionName}: {Method} {Issue}")]
        public static partial void RouteIgnored(ILogger logger, string functionName, string method, string issue);
    }
}
