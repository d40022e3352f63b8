using Nimbus.Core.Security.Policy;
using Nimbus.Server.Security;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>Sends messages to a named queue (durably) and wakes the consumers: the API and the <c>queue:NAME</c> destination both come here.</summary>
public sealed class QueueSender
{
    private readonly SqliteQueueStore _queues;
    private readonly EventSourceSignal _signal;
    private readonly TimeProvider _time;
    private readonly IAccessGate? _gate;

    public QueueSender(SqliteQueueStore queues, EventSourceSignal signal, TimeProvider time, IAccessGate? gate = null)
    {
        _gate = gate;
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
    /// A send made on a function's behalf: its policy must grant <c>queue:send</c> on the queue (as a Lambda
    /// destination needs sqs:SendMessage in the execution role). Null when sent; else why not.
    /// </summary>
    public async Task<string?> SendForFunctionAsync(string functionName, string queueName, NewQueueMessage message, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(functionName, queueName, cancellationToken).ConfigureAwait(false) is { } denied)
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

    /// <summary>Null when <paramref name="functionName"/>'s policy lets it send to <paramref name="queueName"/>; else Lambda's denial text.</summary>
    public async Task<string?> AuthorizeAsync(string functionName, string queueName, CancellationToken cancellationToken)
    {
        if (_gate is null)
        {
            return null;
        }

        var decision = await _gate.CheckAsync(functionName, PolicyActions.QueueSend, queueName, cancellationToken).ConfigureAwait(false);
        return decision.Allowed ? null : decision.DeniedMessage(functionName);
    }
}
