namespace Nimbus.Core.Telemetry;

/// <summary>
/// Decides what a retention pass deletes; the store only executes it. Age first (everything older than the cutoff),
/// then the budget: the number of earliest rows whose removal brings the table under the low-water mark of its size
/// and row budgets, assuming the rows that go are of average size.
/// </summary>
public static class RetentionPlanner
{
    /// <summary>Rows whose time is before this instant are deleted; null when the policy has no age limit.</summary>
    public static DateTimeOffset? AgeCutoff(RetentionPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxAge is not { } age)
        {
            return null;
        }

        // A retention longer than the calendar reaches back to the start of time: nothing is old enough.
        return now - DateTimeOffset.MinValue < age ? DateTimeOffset.MinValue : now - age;
    }

    /// <summary>
    /// How many of the earliest rows to delete: 0 while the table is within every budget, else enough to get under
    /// <see cref="RetentionPolicy.LowWaterFraction"/> of each budget it exceeds (never more than it has).
    /// </summary>
    public static long ExcessRows(RetentionPolicy policy, TableUsage usage)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (usage.Rows <= 0)
        {
            return 0;
        }

        long excess = 0;
        if (policy.MaxRows is { } maxRows && usage.Rows > maxRows)
        {
            excess = usage.Rows - LowWater(maxRows);
        }

        if (policy.MaxBytes is { } maxBytes && usage.Bytes > maxBytes)
        {
            var bytesToFree = usage.Bytes - LowWater(maxBytes);
            var bytesPerRow = (double)usage.Bytes / usage.Rows;
            excess = Math.Max(excess, (long)Math.Ceiling(bytesToFree / bytesPerRow));
        }

        return Math.Min(excess, usage.Rows);
    }

    private static long LowWater(long budget) => (long)Math.Floor(budget * RetentionPolicy.LowWaterFraction);
}
