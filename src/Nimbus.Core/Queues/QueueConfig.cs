namespace Nimbus.Core.Queues;

/// <summary>
/// A named queue as the user declared it (<c>queues:</c> in the manifest, <c>PUT /api/v1/queues/{name}</c>). Immutable.
/// Times are whole seconds, as SQS gives them.
/// </summary>
public sealed record QueueConfig
{
    public const int DefaultRetentionSeconds = 4 * 24 * 3600;
    public const int DefaultMaximumDepth = 100_000;

    /// <summary>The visibility timeout when no consumer tells a better one (SQS's default).</summary>
    public const int FallbackVisibilityTimeoutSeconds = 30;

    public required string Name { get; init; }

    /// <summary>
    /// How long a received message stays hidden from other receivers. Null: six times the consuming function's timeout
    /// (Lambda's advice), or <see cref="FallbackVisibilityTimeoutSeconds"/> for a queue nobody consumes.
    /// </summary>
    public int? VisibilityTimeoutSeconds { get; init; }

    /// <summary>How long a message is kept before it is deleted unread.</summary>
    public int RetentionSeconds { get; init; } = DefaultRetentionSeconds;

    /// <summary>How long a new message stays hidden before its first receive.</summary>
    public int DelaySeconds { get; init; }

    /// <summary>Receives after which a message moves to the queue's dead-letter queue; null keeps it until retention ends.</summary>
    public int? MaxReceiveCount { get; init; }

    /// <summary>Messages the queue may hold (visible, delayed and in flight); a send beyond it is refused.</summary>
    public int MaximumDepth { get; init; } = DefaultMaximumDepth;
}
