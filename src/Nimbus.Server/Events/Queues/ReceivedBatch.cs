using Nimbus.Core.Queues;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// What one receive found: the messages now hidden for the receiver (possibly none) and, when a partial batch is being
/// gathered in the batching window, when it will be due.
/// </summary>
public sealed record ReceivedBatch(IReadOnlyList<QueueMessage> Messages, DateTimeOffset? WindowDueAt, int DeadLettered)
{
    public static readonly ReceivedBatch Empty = new([], null, 0);
}
