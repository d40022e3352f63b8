using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events;

/// <summary>
/// Group commit for accepted async events: callers hand their event to one writer loop and await its batch's commit;
/// the loop writes whatever has arrived (up to <see cref="AsyncEventOptions.MaxBatch"/>) in one fsynced transaction.
/// While one batch commits the next one gathers, so under load many requests share one fsync, and a lone request
/// waits for exactly one.
/// </summary>
public sealed partial class AsyncEventAcceptor : IHostedService
{
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteEventQueue _queue;
    private readonly AsyncEventSignal _signal;
    private readonly AsyncEventOptions _options;
    private readonly ILogger<AsyncEventAcceptor> _logger;
    private Task _loop = Task.CompletedTask;

    public AsyncEventAcceptor(SqliteEventQueue queue, AsyncEventSignal signal, AsyncEventOptions options, ILogger<AsyncEventAcceptor> logger)
    {
        _queue = queue;
        _signal = signal;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Returns once the event is committed (or refused). Cancelling stops the wait, not the write: an event handed
    /// over may still be committed, which at-least-once allows.
    /// </summary>
    public async Task<AcceptResult> AcceptAsync(NewAsyncEvent item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<AcceptResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            return AcceptResult.NotAccepting;
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Refuses new events, then commits those already handed over before returning.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Pending>(_options.MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                var statuses = await _queue.EnqueueAsync(batch.ConvertAll(p => p.Event), CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(statuses[i] == EnqueueStatus.Accepted ? AcceptResult.Accepted : AcceptResult.QueueFull);
                }

                _signal.Wake();
            }
            catch (Exception ex)
            {
                // Nothing of the batch is committed (one transaction): every caller hears so and none answers 202.
                Log.BatchFailed(_logger, batch.Count, ex);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Pending(NewAsyncEvent Event, TaskCompletionSource<AcceptResult> Completion);

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Committing {Count} accepted async events failed")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);
    }
}
