using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;
using Nimbus.Server.Runtime;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events;

/// <summary>
/// Runs accepted async events: leases due ones, runs each attempt through the front door, and writes what the retry
/// policy decides (ack, retry, postpone, dead letter) before the lease ends.
/// </summary>
/// <remarks>
/// <see cref="TickAsync"/> is the whole loop body (one look at the queue); the hosted loop only calls it and sleeps
/// until the next event is due or a wake-up (acceptance, a finished attempt) comes, on the injected
/// <see cref="TimeProvider"/>. At start every lease left in the file is given back: on a single node any lease there
/// belongs to a process that died (kill -9 included), so its events run again at once instead of after the lease.
/// </remarks>
public sealed partial class AsyncEventProcessor : IHostedLifecycleService
{
    private readonly SqliteEventQueue _queue;
    private readonly IAsyncEventInvoker _invoker;
    private readonly RoutingState _routing;
    private readonly AsyncEventSignal _signal;
    private readonly AsyncEventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AsyncEventProcessor> _logger;
    private readonly FunctionDestination? _destination;
    private readonly WebhookDeliverer? _webhooks;
    private readonly Queues.QueueDestination? _queueDestination;
    private readonly AsyncEventCounters? _counters;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WriteCombiner<(string Id, string Owner), bool> _acks;
    private Task _loop = Task.CompletedTask;

    public AsyncEventProcessor(
        SqliteEventQueue queue, IAsyncEventInvoker invoker, RoutingState routing, AsyncEventSignal signal, AsyncEventOptions options,
        TimeProvider time, ILogger<AsyncEventProcessor> logger, FunctionDestination? destination = null, WebhookDeliverer? webhooks = null,
        Queues.QueueDestination? queueDestination = null, AsyncEventCounters? counters = null)
    {
        _counters = counters;
        _acks = new WriteCombiner<(string Id, string Owner), bool>(batch => queue.CompleteManyAsync(batch, CancellationToken.None));
        _destination = destination;
        _webhooks = webhooks;
        _queueDestination = queueDestination;
        _queue = queue;
        _invoker = invoker;
        _routing = routing;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>This process's name on the leases it takes.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Attempts running now.</summary>
    public int Running => _running.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var released = await _queue.ReleaseLeasesAsync(null, cancellationToken).ConfigureAwait(false);
        if (released > 0)
        {
            Log.LeasesRecovered(_logger, released);
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>The host begins to stop: lease nothing more; running attempts finish while the dispatcher drains.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops leasing and waits for running attempts (the dispatcher has drained them by now); whatever is still leased
    /// by this process goes back to the queue.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _queue.ReleaseLeasesAsync(Owner, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// One look at the queue: leases as many due events as there are free attempt slots and starts them.
    /// Returns how many were started; <see cref="WhenIdleAsync"/> waits for them.
    /// </summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var free = _options.MaxConcurrency - _running.Count;
        if (free <= 0)
        {
            return 0;
        }

        var leased = await _queue.LeaseAsync(Owner, free, VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var item in leased)
        {
            // Registered before it starts, so a quick attempt cannot finish (and deregister) before it is counted.
            var attempt = new Task<Task>(() => RunAttemptAsync(item));
            _running[item.Id] = attempt.Unwrap();
            attempt.Start(TaskScheduler.Default);
        }

        return leased.Count;
    }

    /// <summary>Completes when every attempt started so far has written its outcome.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var started = await TickAsync(stopping).ConfigureAwait(false);
                if (started > 0 && _running.Count < _options.MaxConcurrency)
                {
                    continue; // more may be due right now
                }

                var wait = _options.MaxIdle;
                if (_running.Count < _options.MaxConcurrency && await _queue.NextDueAsync(stopping).ConfigureAwait(false) is { } next)
                {
                    var until = next - _time.GetUtcNow();
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
                }

                if (wait > TimeSpan.Zero)
                {
                    await _signal.WaitAsync(wait, _time, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unavailable for a moment (disk full, locked): look again shortly, lose nothing.
                Log.TickFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunAttemptAsync(AsyncEvent item)
    {
        try
        {
            await AttemptAsync(item).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The outcome could not be written: the lease expires and the event runs again (at-least-once).
            Log.AttemptFailed(_logger, item.FunctionName, item.RequestId, ex);
        }
        finally
        {
            _running.TryRemove(item.Id, out _);
            _signal.Wake();
        }
    }

    private async Task AttemptAsync(AsyncEvent item)
    {
        var config = FunctionConfigOf(item.FunctionName)?.Async ?? AsyncConfig.Default;
        var startedAt = _time.GetUtcNow();
        if (AsyncRetryPolicy.IsExpired(config, item.EnqueuedAt, startedAt))
        {
            var last = item.History.Count > 0 ? item.History[^1] : null;
            await FailAsync(item, config, AsyncConditions.EventAgeExceeded, last?.ErrorType, last?.ErrorMessage, item.History, null).ConfigureAwait(false);
            return;
        }

        AsyncAttemptResult result;
        try
        {
            result = await _invoker.InvokeAsync(item, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _queue.ReleaseAsync(item.Id, Owner, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var attempt = new AsyncAttempt(item.History.Count + 1, startedAt, result.Outcome, item.RequestId, result.ExecutedVersion,
            result.ErrorType, AsyncAttempt.Truncate(result.ErrorMessage), result.DurationMs);
        var history = new List<AsyncAttempt>(item.History.Count + 1);
        history.AddRange(item.History);
        history.Add(attempt);

        var decision = AsyncRetryPolicy.Decide(config, item.EnqueuedAt, item.FailedAttempts, item.Postponements, result.Outcome, _time.GetUtcNow());
        switch (decision.Trigger)
        {
            case AsyncEventTrigger.Succeed:
                if (QueueTarget(config.OnSuccess) is { } successQueue
                    && await _queueDestination!.SendAsync(successQueue, item, AsyncConditions.Success, result, history.Count, _time.GetUtcNow(), CancellationToken.None)
                        .ConfigureAwait(false) is { } successRefusal)
                {
                    Log.QueueDestinationRefused(_logger, item.FunctionName, item.RequestId, successQueue, successRefusal);
                }

                if (FunctionTarget(config.OnSuccess) is { } onSuccess
                    && !await _destination!.SendAsync(onSuccess, item, AsyncConditions.Success, result, history.Count, _time.GetUtcNow(), CancellationToken.None)
                        .ConfigureAwait(false))
                {
                    Log.DestinationRefused(_logger, item.FunctionName, item.RequestId, onSuccess);
                }

                if (WebhookTarget(config.OnSuccess) is { } successHook)
                {
                    await SendWebhookAsync(successHook, item, AsyncConditions.Success, result, history.Count).ConfigureAwait(false);
                }

                await AckAsync(item).ConfigureAwait(false);
                break;
            case AsyncEventTrigger.ScheduleRetry:
                Log.Retrying(_logger, item.FunctionName, item.RequestId, result.Outcome, decision.VisibleAt!.Value);
                _counters?.Retried(item.FunctionName);
                await _queue.RescheduleAsync(item.Id, Owner, decision.VisibleAt.Value, item.FailedAttempts + 1, item.Postponements, history,
                    CancellationToken.None).ConfigureAwait(false);
                break;
            case AsyncEventTrigger.Postpone:
                await _queue.RescheduleAsync(item.Id, Owner, decision.VisibleAt!.Value, item.FailedAttempts, item.Postponements + 1, history,
                    CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                await FailAsync(item, config, decision.Condition!, attempt.ErrorType ?? result.Outcome.ToString(), attempt.ErrorMessage, history, result)
                    .ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Acks the event; acks of attempts that end together share one commit.</summary>
    private Task<bool> AckAsync(AsyncEvent item) => _acks.WriteAsync((item.Id, Owner));

    /// <summary>The failure path: the onFailure function when one is set and takes the record, else the dead-letter queue.</summary>
    private async Task FailAsync(AsyncEvent item, AsyncConfig config, string condition, string? errorType, string? errorMessage,
        IReadOnlyList<AsyncAttempt> history, AsyncAttemptResult? last)
    {
        if (QueueTarget(config.OnFailure) is { } failureQueue)
        {
            if (await _queueDestination!.SendAsync(failureQueue, item, condition, last, history.Count, _time.GetUtcNow(), CancellationToken.None)
                    .ConfigureAwait(false) is not { } refusal)
            {
                await AckAsync(item).ConfigureAwait(false);
                return;
            }

            Log.QueueDestinationRefused(_logger, item.FunctionName, item.RequestId, failureQueue, refusal);
        }

        if (FunctionTarget(config.OnFailure) is { } onFailure)
        {
            if (await _destination!.SendAsync(onFailure, item, condition, last, history.Count, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
            {
                await AckAsync(item).ConfigureAwait(false);
                return;
            }

            Log.DestinationRefused(_logger, item.FunctionName, item.RequestId, onFailure);
        }

        if (WebhookTarget(config.OnFailure) is { } failureHook)
        {
            // Stored before the ack: the delivery survives a restart, and the event is done once it is.
            await SendWebhookAsync(failureHook, item, condition, last, history.Count).ConfigureAwait(false);
            await AckAsync(item).ConfigureAwait(false);
            return;
        }

        await DeadLetterAsync(item, condition, errorType, errorMessage, history).ConfigureAwait(false);
    }

    /// <summary>The target function of a <c>function:NAME</c> destination; null for dlq, webhooks and none.</summary>
    private string? FunctionTarget(string? destination) =>
        _destination is not null && destination is not null && AsyncDestination.TryParse(destination, out var parsed, out _)
        && parsed.Kind == AsyncDestinationKind.Function
            ? parsed.Target
            : null;

    /// <summary>The URL of a <c>webhook:URL</c> destination, when webhooks are delivered here.</summary>
    private string? WebhookTarget(string? destination) =>
        _webhooks is not null && _destination is not null && destination is not null && AsyncDestination.TryParse(destination, out var parsed, out _)
        && parsed.Kind == AsyncDestinationKind.Webhook
            ? parsed.Target
            : null;

    private Task SendWebhookAsync(string url, AsyncEvent item, string condition, AsyncAttemptResult? last, int invokeCount)
    {
        var record = _destination!.Record(item, condition, last, invokeCount, _time.GetUtcNow());
        return _webhooks!.EnqueueAsync(item.FunctionName, item.RequestId, url, condition, record, CancellationToken.None);
    }

    /// <summary>The queue of a <c>queue:NAME</c> destination; null for every other kind, or when queues are not wired.</summary>
    private string? QueueTarget(string? destination) =>
        _queueDestination is not null && destination is not null && AsyncDestination.TryParse(destination, out var parsed, out _)
        && parsed.Kind == AsyncDestinationKind.Queue
            ? parsed.Target
            : null;

    private async Task DeadLetterAsync(AsyncEvent item, string condition, string? errorType, string? errorMessage, IReadOnlyList<AsyncAttempt> history)
    {
        Log.DeadLettered(_logger, item.FunctionName, item.RequestId, condition);
        _counters?.DeadLetteredOne(item.FunctionName);
        await _queue.DeadLetterAsync(item, Owner, condition, errorType, errorMessage, history, CancellationToken.None).ConfigureAwait(false);
    }

    private FunctionConfig? FunctionConfigOf(string functionName) => _routing.Current.GetFunction(functionName)?.Function.Config;

    private TimeSpan VisibilityTimeout(string functionName)
    {
        // The attempt may need a cold start (init limit) and then the whole function timeout; the lease outlasts both.
        var timeout = FunctionConfigOf(functionName)?.TimeoutSeconds ?? FunctionConfigValidator.MaxTimeoutSeconds;
        return TimeSpan.FromSeconds(timeout) + Dispatcher.InitTimeout + _options.LeaseMargin;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Gave back {Count} async event leases left by a previous run")]
        public static partial void LeasesRecovered(ILogger logger, int count);

        [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "Looking at the async event queue failed; trying again")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 712, Level = LogLevel.Error, Message = "Writing the outcome of async event {RequestId} of {FunctionName} failed; it runs again when its lease expires")]
        public static partial void AttemptFailed(ILogger logger, string functionName, string requestId, Exception exception);

        [LoggerMessage(EventId = 713, Level = LogLevel.Information, Message = "Async event {RequestId} of {FunctionName} failed ({Outcome}); retry at {VisibleAt}")]
        public static partial void Retrying(ILogger logger, string functionName, string requestId, AsyncAttemptOutcome outcome, DateTimeOffset visibleAt);

        [LoggerMessage(EventId = 715, Level = LogLevel.Warning, Message = "Async event {RequestId} of {FunctionName}: destination function {Destination} did not take the record")]
        public static partial void DestinationRefused(ILogger logger, string functionName, string requestId, string destination);

        [LoggerMessage(EventId = 716, Level = LogLevel.Warning, Message = "Async event {RequestId} of {FunctionName}: destination queue {Queue} did not take the record: {Reason}")]
        public static partial void QueueDestinationRefused(ILogger logger, string functionName, string requestId, string queue, string reason);

        [LoggerMessage(EventId = 714, Level = LogLevel.Warning, Message = "Async event {RequestId} of {FunctionName} dead-lettered: {Condition}")]
        public static partial void DeadLettered(ILogger logger, string functionName, string requestId, string condition);
    }
}
