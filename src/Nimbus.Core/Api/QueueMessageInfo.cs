using Nimbus.Core.Queues;

namespace Nimbus.Core.Api;

/// <summary>A message as the API shows it (a queue's dead-letter queue: <c>GET /api/v1/queues/{name}/dead-letters</c>).</summary>
public sealed record QueueMessageInfo(
    string MessageId,
    string Body,
    IReadOnlyDictionary<string, string>? MessageAttributes,
    DateTimeOffset SentAt,
    int ReceiveCount,
    DateTimeOffset? FirstReceivedAt)
{
    public static QueueMessageInfo From(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(message.MessageId, message.Body, message.MessageAttributes, message.SentAt, message.ReceiveCount, message.FirstReceivedAt);
    }
}
