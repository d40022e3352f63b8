using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Telemetry;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Telemetry;

/// <summary>
/// Keeps every telemetry table within its retention policy: once at start, then every <see cref="Interval"/>. Deletes
/// in chunks of <see cref="ChunkSize"/> rows, one short transaction each, so the telemetry writer waits for at most one
/// chunk; what to delete is decided by <see cref="RetentionPlanner"/>.
/// </summary>
public sealed partial class TelemetryPruner : BackgroundService
{
    public const int ChunkSize = 5000;
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ITelemetryTableStore _store;
    private readonly IReadOnlyList<TableRetention> _tables;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetryPruner> _logger;

    public TelemetryPruner(ITelemetryTableStore store, IReadOnlyList<TableRetention> tables, TimeProvider time, ILogger<TelemetryPruner> logger)
    {
        _store = store;
        _tables = tables;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised after each tick of the background loop (tests wait on it instead of sleeping).</summary>
    public event Action<DateTimeOffset>? Ticked;

    /// <summary>One retention pass over every table at <paramref name="now"/>; returns the rows deleted per table, in order.</summary>
    public async Task<IReadOnlyList<long>> TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deleted = new long[_tables.Count];
        for (var i = 0; i < _tables.Count; i++)
        {
            var (table, policy, store) = (_tables[i].Table, _tables[i].Policy, _tables[i].Store ?? _store);
            try
            {
                var byAge = await DeleteOlderThanAsync(store, table, RetentionPlanner.AgeCutoff(policy, now), cancellationToken).ConfigureAwait(false);
                var byBudget = policy.HasBudget ? await DeleteExcessAsync(store, table, policy, cancellationToken).ConfigureAwait(false) : 0;
                deleted[i] = byAge + byBudget;
                if (deleted[i] > 0)
                {
                    Log.Pruned(_logger, table.Name, byAge, byBudget);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; one failing table does not stop the others.
                Log.PruneFailed(_logger, table.Name, ex);
            }
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Host start-up does not wait for the first pass, which after a restart may have a backlog to delete.
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            do
            {
                var now = _time.GetUtcNow();
                await TickAsync(now, stoppingToken).ConfigureAwait(false);
                Ticked?.Invoke(now);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    private static async Task<long> DeleteOlderThanAsync(ITelemetryTableStore store, TelemetryTable table, DateTimeOffset? cutoff, CancellationToken cancellationToken)
    {
        if (cutoff is not { } before)
        {
            return 0;
        }

        long total = 0;
        int chunk;
        do
        {
            chunk = await store.DeleteTelemetryOlderThanAsync(table, before, ChunkSize, cancellationToken).ConfigureAwait(false);
            total += chunk;
            // Between chunks the write lock is free; let the telemetry writer take it.
            await Task.Yield();
        }
        while (chunk == ChunkSize);

        return total;
    }

    private static async Task<long> DeleteExcessAsync(ITelemetryTableStore store, TelemetryTable table, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var usage = await store.MeasureTelemetryAsync(table, cancellationToken).ConfigureAwait(false);
        var remaining = RetentionPlanner.ExcessRows(policy, usage);
        long total = 0;
        while (remaining > 0)
        {
            var chunk = await store.DeleteOldestTelemetryAsync(table, (int)Math.Min(remaining, ChunkSize), cancellationToken).ConfigureAwait(false);
            if (chunk == 0)
            {
                break;
            }

            total += chunk;
            remaining -= chunk;
            await Task.Yield();
        }

        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Information, "Retention pruned {Table}: {ByAge} rows by age, {ByBudget} over budget")]
        public static partial void Pruned(ILogger logger, string table, long byAge, long byBudget);

        [LoggerMessage(2102, LogLevel.Warning, "Retention could not prune {Table}; trying again at the next tick")]
        public static partial void PruneFailed(ILogger logger, string table, Exception exception);
    }
}
