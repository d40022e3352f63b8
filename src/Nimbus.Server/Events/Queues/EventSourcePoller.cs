using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Functions;
using Nimbus.Core.Queues;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Server.Invocations;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// Runs event source mappings: for each enabled, unpaused mapping it receives batches from the queue (up to the
/// mapping's maximum concurrency), invokes the function through the front door with Lambda's SQS event, and settles
/// the messages by <see cref="BatchSettlement"/>: deleted, left hidden until their visibility timeout (so a failing
/// consumer is retried at that pace, never in a spin), or backed off when throttled.
/// </summary>
/// <remarks>
/// <see cref="TickAsync"/> is one pass; the hosted loop sleeps until the next message becomes visible, a batching window
/// ends, a wake (send, resume, finished batch) or <see cref="MaxIdle"/>, on the injected <see cref="TimeProvider"/>.
/// Received messages are hidden in the store, so a crash of the platform loses none: they become visible again when
/// their visibility timeout ends.
/// </remarks>
public sealed partial class EventSourcePoller : BackgroundService
{
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);

    private readonly RoutingState _routing;
    private readonly SqliteQueueStore _queues;
    private readonly SqlitePauseStore _pauses;
    private readonly Invoker _invoker;
    private readonly EventSourceSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<EventSourcePoller> _logger;
    private readonly string _region;
    private readonly ConcurrentDictionary<(string Function, string Queue), int> _running = new();
    private readonly ConcurrentDictionary<Guid, Task> _batches = new();

    public EventSourcePoller(
        RoutingState routing, SqliteQueueStore queues, SqlitePauseStore pauses, Invoker invoker, EventSourceSignal signal,
        NimbusServerOptions options, TimeProvider time, ILogger<EventSourcePoller> logger)
    {
        _routing = routing;
        _queues = queues;
        _pauses = pauses;
        _invoker = invoker;
        _signal = signal;
        _time = time;
        _logger = logger;
        _region = options.Region;
    }

    /// <summary>Batches running now, over every mapping.</summary>
    public int Running => _batches.Count;

    /// <summary>The mappings the functions declare (enabled or not), from the routing snapshot.</summary>
    public IReadOnlyList<EventSourceMapping> Mappings() =>
    [
        .. _routing.Current.Functions
            .Select(f => f.Function.Config)
            .SelectMany(config => (config.Sources ?? []).Select(source => new EventSourceMapping(config.Name, source, config.TimeoutSeconds)))
            .OrderBy(m => m.FunctionName, StringComparer.Ordinal).ThenBy(m => m.Source.Queue, StringComparer.Ordinal),
    ];

    /// <summary>
    /// One pass: starts as many batches as the mappings' concurrency allows. Returns when the loop should look again
    /// (the earliest visibility or batching-window end it saw), or null when nothing waits.
    /// </summary>
    public async Task<DateTimeOffset?> TickAsync(CancellationToken cancellationToken)
    {
        var paused = await _pauses.ListSourcePausesAsync(cancellationToken).ConfigureAwait(false);
        var queues = (await _queues.ListQueuesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(q => q.Name, StringComparer.Ordinal);
        DateTimeOffset? next = null;
        foreach (var mapping in Mappings())
        {
            if (!mapping.Source.Enabled || paused.ContainsKey(mapping.Key) || !queues.TryGetValue(mapping.Source.Queue, out var queue))
            {
                continue;
            }

            var visibility = QueueRules.VisibilityTimeout(queue, mapping.FunctionTimeoutSeconds);
            var window = TimeSpan.FromSeconds(mapping.Source.MaximumBatchingWindowInSeconds);
            while (_running.GetValueOrDefault(mapping.Key) < mapping.Source.EffectiveMaximumConcurrency)
            {
                var batch = await _queues.ReceiveAsync(queue.Name, mapping.Source.BatchSize, window, visibility, _time.GetUtcNow(), cancellationToken)
                    .ConfigureAwait(false);
                if (batch.DeadLettered > 0)
                {
                    Log.DeadLettered(_logger, queue.Name, batch.DeadLettered, queue.MaxReceiveCount ?? 0);
                }

                if (batch.Messages.Count == 0)
                {
                    next = Earliest(next, batch.WindowDueAt);
                    break;
                }

                Start(mapping, batch.Messages, visibility);
            }

            if (_running.GetValueOrDefault(mapping.Key) < mapping.Source.EffectiveMaximumConcurrency)
            {
                next = Earliest(next, await _queues.NextVisibleAsync(queue.Name, cancellationToken).ConfigureAwait(false));
            }
        }

        return next;
    }

    /// <summary>Completes when every batch started so far has been settled.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_batches.Values);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = MaxIdle;
            try
            {
                if (await TickAsync(stoppingToken).ConfigureAwait(false) is { } next)
                {
                    var until = next - _time.GetUtcNow();
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is unavailable for a moment: look again after the idle interval, lose nothing.
                Log.PassFailed(_logger, e);
            }

            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await _signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Yield();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Start(EventSourceMapping mapping, IReadOnlyList<QueueMessage> messages, TimeSpan visibility)
    {
        _running.AddOrUpdate(mapping.Key, 1, (_, n) => n + 1);
        var id = Guid.NewGuid();
        // Registered before it starts, so a quick batch cannot finish (and deregister) before it is counted.
        var batch = new Task<Task>(() => RunBatchAsync(mapping, messages, visibility));
        _batches[id] = batch.Unwrap().ContinueWith(_ =>
        {
            _batches.TryRemove(id, out Task? _);
            _running.AddOrUpdate(mapping.Key, 0, (_, n) => n - 1);
            _signal.Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        batch.Start(TaskScheduler.Default);
    }

    private async Task RunBatchAsync(EventSourceMapping mapping, IReadOnlyList<QueueMessage> messages, TimeSpan visibility)
    {
        try
        {
            var call = new InvocationCall
            {
                FunctionName = mapping.FunctionName,
                Payload = SqsEvent.Build(messages, _region, FunctionArn.AccountId),
                Source = InvocationSource.QueueSource,
                TraceParent = messages[0].TraceParent,
            };
            var answer = await _invoker.InvokeAsync(call, CancellationToken.None).ConfigureAwait(false);
            var ids = messages.Select(m => m.MessageId).ToList();
            var settlement = BatchSettlement.Decide(ids, answer.Result?.Outcome, answer.Admission == AdmissionStatus.NotAccepting,
                mapping.Source.ReportBatchItemFailures, answer.Result is { } result ? result.Body.Span : default);
            await SettleAsync(mapping, messages, settlement, visibility).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing settled: the messages become visible again when their visibility timeout ends (at-least-once).
            Log.BatchFailed(_logger, mapping.FunctionName, mapping.Source.Queue, e);
        }
    }

    private async Task SettleAsync(EventSourceMapping mapping, IReadOnlyList<QueueMessage> messages, BatchSettlement settlement, TimeSpan visibility)
    {
        var byId = messages.ToDictionary(m => m.MessageId, StringComparer.Ordinal);
        List<QueueMessage> Pick(IReadOnlyList<string> ids) => [.. ids.Select(id => byId[id])];

        await _queues.DeleteAsync(Pick(settlement.Delete), CancellationToken.None).ConfigureAwait(false);
        if (settlement.BackOff.Count > 0)
        {
            var backOff = QueueRules.ThrottleBackoff(messages.Max(m => m.ReceiveCount), visibility);
            await _queues.ChangeVisibilityAsync(Pick(settlement.BackOff), _time.GetUtcNow() + backOff, CancellationToken.None).ConfigureAwait(false);
            Log.Throttled(_logger, mapping.FunctionName, mapping.Source.Queue, settlement.BackOff.Count, backOff);
        }

        if (settlement.Release.Count > 0)
        {
            await _queues.ChangeVisibilityAsync(Pick(settlement.Release), _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }

        if (settlement.Retry.Count > 0)
        {
            Log.Returned(_logger, mapping.FunctionName, mapping.Source.Queue, settlement.Retry.Count, messages.Count, visibility);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = 820, Level = LogLevel.Error, Message = "An event source pass failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 821, Level = LogLevel.Error, Message = "Settling a batch of {FunctionName} from queue {QueueName} failed; its messages return after their visibility timeout")]
        public static partial void BatchFailed(ILogger logger, string functionName, string queueName, Exception exception);

        [LoggerMessage(EventId = 822, Level = LogLevel.Information, Message = "{FunctionName} returned {Failed} of {BatchSize} messages to queue {QueueName}; they are received again after {VisibilityTimeout}")]
        public static partial void Returned(ILogger logger, string functionName, string queueName, int failed, int batchSize, TimeSpan visibilityTimeout);

        [LoggerMessage(EventId = 823, Level = LogLevel.Warning, Message = "{FunctionName} was throttled taking {Count} messages from queue {QueueName}; backing off {BackOff}")]
        public static partial void Throttled(ILogger logger, string functionName, string queueName, int count, TimeSpan backOff);

        [LoggerMessage(EventId = 824, Level = LogLevel.Warning, Message = "Queue {QueueName} moved {Count} messages to its dead-letter queue after {MaxReceiveCount} receives")]
        public static partial void DeadLettered(ILogger logger, string queueName, int count, int maxReceiveCount);
    }
}
