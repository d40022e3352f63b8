namespace Nimbus.Core.Telemetry;

/// <summary>
/// How much of one telemetry table is kept: rows older than <see cref="MaxAge"/> go, and when the table is larger than
/// <see cref="MaxBytes"/> or has more than <see cref="MaxRows"/> rows the earliest stored rows go until it is back under
/// <see cref="LowWaterFraction"/> of that budget. A null limit is not applied; at least one limit is set.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>
    /// Pruning goes below the budget, not just to it, so that a table at its budget does not lose a handful of rows on
    /// every tick, and each pruning frees a useful amount of space.
    /// </summary>
    public const double LowWaterFraction = 0.9;

    /// <summary>Logs: 7 days or 1 GB, whichever comes first.</summary>
    public static readonly RetentionPolicy DefaultLogs = new(TimeSpan.FromDays(7), maxBytes: 1L << 30, maxRows: null);

    /// <summary>Invocation records: 7 days or 1,000,000 records, whichever comes first.</summary>
    public static readonly RetentionPolicy DefaultInvocations = new(TimeSpan.FromDays(7), maxBytes: null, maxRows: 1_000_000);

    public RetentionPolicy(TimeSpan? maxAge, long? maxBytes, long? maxRows)
    {
        if (maxAge is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), age, "the retention age must be positive");
        }

        if (maxBytes is { } bytes && bytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), bytes, "the size budget must be positive");
        }

        if (maxRows is { } rows && rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRows), rows, "the row budget must be positive");
        }

        if (maxAge is null && maxBytes is null && maxRows is null)
        {
            throw new ArgumentException("a retention policy needs an age, a size or a row limit");
        }

        MaxAge = maxAge;
        MaxBytes = maxBytes;
        MaxRows = maxRows;
    }

    public TimeSpan? MaxAge { get; init; }
    public long? MaxBytes { get; init; }
    public long? MaxRows { get; init; }

    /// <summary>Whether the size of the table must be measured (bytes or rows) to apply this policy.</summary>
    public bool HasBudget => MaxBytes is not null || MaxRows is not null;
}
