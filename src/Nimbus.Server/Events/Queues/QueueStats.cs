namespace Nimbus.Server.Events.Queues;

/// <summary>A queue's counts at one moment. <see cref="Depth"/> is every message not dead-lettered.</summary>
public sealed record QueueStats(long Depth, long Visible, long InFlight, long Delayed, DateTimeOffset? OldestSentAt, long DeadLettered);
