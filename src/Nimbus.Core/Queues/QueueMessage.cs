namespace Nimbus.Core.Queues;

/// <summary>One stored message as a receiver sees it. Immutable; a receive returns a new one.</summary>
/// <param name="ReceiptHandle">Names this receive; a delete or visibility change needs it, so a receiver whose
/// visibility timeout ran out (and whose message went to someone else) can no longer delete it.</param>
/// <param name="MessageAttributes">String message attributes (name to value); null or empty for none.</param>
public sealed record QueueMessage(
    string MessageId,
    string QueueName,
    string Body,
    IReadOnlyDictionary<string, string>? MessageAttributes,
    DateTimeOffset SentAt,
    DateTimeOffset VisibleAt,
    int ReceiveCount,
    DateTimeOffset? FirstReceivedAt,
    string? ReceiptHandle,
    string? TraceParent);
