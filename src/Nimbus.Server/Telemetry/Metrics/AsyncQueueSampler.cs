using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// Every <see cref="Interval"/>: samples each function's async queue (depth, age of the oldest event) with one grouped
/// query, and turns the processor's retry and dead-letter counts since the last tick into samples. A function whose
/// queue emptied gets one sample of 0, so its age and depth fall back instead of ending on the last busy value.
/// </summary>
public sealed partial class AsyncQueueSampler : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly SqliteEventQueue _queue;
    private readonly AsyncEventCounters _counters;
    private readonly InvocationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AsyncQueueSampler> _logger;
    private readonly Dictionary<string, (long Retries, long DeadLettered)> _lastTotals = new(StringComparer.Ordinal);
    private HashSet<string> _lastQueued = new(StringComparer.Ordinal);

    public AsyncQueueSampler(SqliteEventQueue queue, AsyncEventCounters counters, InvocationMetrics metrics, TimeProvider time, ILogger<AsyncQueueSampler> logger)
    {
        _queue = queue;
        _counters = counters;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>The queues at the last tick, for <c>/metrics</c>: function, depth, oldest event's age in seconds.</summary>
    public IReadOnlyList<(string Function, long Depth, double OldestAgeSeconds)> Latest { get; private set; } = [];

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var stats = await _queue.QueueStatsAsync(cancellationToken).ConfigureAwait(false);
        var queues = stats.Select(s => (s.Function, s.Depth, Math.Max(0, (now - s.OldestEnqueuedAt).TotalSeconds))).ToList();
        var queued = queues.Select(q => q.Function).ToHashSet(StringComparer.Ordinal);
        queues.AddRange(_lastQueued.Where(f => !queued.Contains(f)).Select(f => (f, 0L, 0.0)));
        _lastQueued = queued;
        Latest = queues.Where(q => q.Item2 > 0).ToArray();

        var changes = new List<(string Function, long Retries, long DeadLettered)>();
        foreach (var (function, retries, deadLettered) in _counters.Totals())
        {
            var last = _lastTotals.GetValueOrDefault(function);
            if (retries != last.Retries || deadLettered != last.DeadLettered)
            {
                changes.Add((function, retries - last.Retries, deadLettered - last.DeadLettered));
                _lastTotals[function] = (retries, deadLettered);
            }
        }

        _metrics.ObserveAsyncQueues(queues, changes, now);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await TickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SampleFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2121, LogLevel.Error, "Could not sample the async queues")]
        public static partial void SampleFailed(ILogger logger, Exception exception);
    }
}
