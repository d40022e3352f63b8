namespace Nimbus.Core.Queues;

/// <summary>
/// An event source mapping: a queue a function consumes (<c>sources:</c> in the manifest and the API). Immutable.
/// </summary>
public sealed record EventSourceConfig
{
    public const int DefaultBatchSize = 10;
    public const int DefaultMaximumConcurrency = 5;

    public required string Queue { get; init; }

    /// <summary>Most messages per invocation (1-10).</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How long to gather messages before invoking with fewer than <see cref="BatchSize"/> (0-300 s).</summary>
    public double MaximumBatchingWindowInSeconds { get; init; }

    /// <summary>Most batches of this mapping running at once (1-1000); null is <see cref="DefaultMaximumConcurrency"/>.</summary>
    public int? MaximumConcurrency { get; init; }

    /// <summary>The function answers <c>{"batchItemFailures":[{"itemIdentifier":"…"}]}</c> to return only those messages.</summary>
    public bool ReportBatchItemFailures { get; init; }

    public bool Enabled { get; init; } = true;

    public int EffectiveMaximumConcurrency => MaximumConcurrency ?? DefaultMaximumConcurrency;
}
