using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>Sends messages to a named queue (durably) and wakes the consumers: the API and the <c>queue:NAME</c> destination both come here.</summary>
public sealed class QueueSender
{
    private readonly SqliteQueueStore _queues;
    private readonly EventSourceSignal _signal;
    private readonly TimeProvider _time;

    public QueueSender(SqliteQueueStore queues, EventSourceSignal signal, TimeProvider time)
    {
        _queues = queues;
        _signal = signal;
        _time = time;
    }

    public async Task<IReadOnlyList<SendStatus>> SendAsync(string queueName, IReadOnlyList<NewQueueMessage> messages, CancellationToken cancellationToken)
    {
        var statuses = await _queues.SendAsync(queueName, messages, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (statuses.Contains(SendStatus.Accepted))
        {
            _signal.Wake();
        }

        return statuses;
    }

    /// <summary>
    /// A send made on a function's behalf: authorized at <see cref="QueueSendGate.AuthorizeFunctionSend"/> first.
    /// Null when sent; else why not.
    /// </summary>
    public async Task<string?> SendForFunctionAsync(string functionName, string queueName, NewQueueMessage message, CancellationToken cancellationToken)
    {
        if (QueueSendGate.AuthorizeFunctionSend(functionName, queueName) is { } denied)
        {
            return denied;
        }

        var status = (await SendAsync(queueName, [message], cancellationToken).ConfigureAwait(false))[0];
        return status switch
        {
            SendStatus.Accepted => null,
            SendStatus.QueueFull => $"queue '{queueName}' is full",
            _ => $"queue '{queueName}' does not exist",
        };
    }
}
