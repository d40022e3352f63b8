using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry.Errors;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// Every <see cref="FlushInterval"/> (on the <see cref="TimeProvider"/>): samples concurrency, merges the gathered metric
/// deltas and error occurrences into the observability store; every <see cref="PruneInterval"/> deletes buckets and
/// groups past their retention. Queries see data at most one interval (plus the writer's 100 ms batching) late.
/// </summary>
public sealed partial class ObservabilityFlusher : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly InvocationMetrics _metrics;
    private readonly ErrorTracker _errors;
    private readonly SqliteObservabilityStore _store;
    private readonly Func<IReadOnlyList<ConcurrencySample>> _concurrency;
    private readonly TimeProvider _time;
    private readonly ILogger<ObservabilityFlusher> _logger;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public ObservabilityFlusher(InvocationMetrics metrics, ErrorTracker errors, SqliteObservabilityStore store,
        Func<IReadOnlyList<ConcurrencySample>> concurrency, TimeProvider time, ILogger<ObservabilityFlusher> logger)
    {
        _metrics = metrics;
        _errors = errors;
        _store = store;
        _concurrency = concurrency;
        _time = time;
        _logger = logger;
    }

    /// <summary>One flush: sample, store, and prune when due. Tests call it directly after stepping fake time.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            _metrics.ObserveConcurrency(_concurrency(), now);
            await _store.MergeBucketsAsync(_metrics.Drain(), cancellationToken).ConfigureAwait(false);
            await _store.MergeErrorsAsync(_errors.Drain(), cancellationToken).ConfigureAwait(false);
            if (now - _lastPrune >= PruneInterval)
            {
                _lastPrune = now;
                await PruneAsync(now, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.FlushFailed(_logger, ex);
        }
    }

    /// <summary>Deletes what is past retention; exposed for the telemetry retention pruner.</summary>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await _store.PruneBucketsAsync(now, cancellationToken).ConfigureAwait(false)
        + await _store.PruneErrorGroupsAsync(now, cancellationToken).ConfigureAwait(false)
        + await _store.PruneSpansAsync(now, cancellationToken).ConfigureAwait(false);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await TickAsync(CancellationToken.None).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // shutdown: StopAsync flushes once more
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Error, "Could not store metric buckets or error groups")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
