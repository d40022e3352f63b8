namespace Nimbus.Core.Invocations;

/// <summary>A function's recent invocations when they come from two stores: the current one and one written earlier.</summary>
public static class InvocationListing
{
    /// <summary>
    /// <paramref name="current"/> (newest first) followed by the <paramref name="earlier"/> records it does not already
    /// name by request id, at most <paramref name="limit"/>. Every earlier record predates the current ones (the earlier
    /// store stopped being written when the current one started), so this keeps newest first.
    /// </summary>
    public static IReadOnlyList<InvocationRecord> Merge(IReadOnlyList<InvocationRecord> current, IReadOnlyList<InvocationRecord> earlier, int limit)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (earlier.Count == 0 && current.Count <= limit)
        {
            return current;
        }

        var named = current.Select(record => record.RequestId).ToHashSet(StringComparer.Ordinal);
        return [.. current.Concat(earlier.Where(record => !named.Contains(record.RequestId))).Take(limit)];
    }
}
