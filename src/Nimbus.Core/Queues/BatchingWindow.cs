namespace Nimbus.Core.Queues;

/// <summary>When a mapping invokes: a full batch at once; fewer messages once the oldest has waited the batching window.</summary>
public static class BatchingWindow
{
    /// <param name="available">Visible messages waiting.</param>
    /// <param name="oldestVisibleSince">When the longest-waiting visible message became visible.</param>
    public static bool ShouldInvoke(int available, int batchSize, TimeSpan window, DateTimeOffset oldestVisibleSince, DateTimeOffset now) =>
        available > 0 && (available >= batchSize || window <= TimeSpan.Zero || now - oldestVisibleSince >= window);

    /// <summary>When a partial batch will be due, for the loop's sleep.</summary>
    public static DateTimeOffset DueAt(TimeSpan window, DateTimeOffset oldestVisibleSince) => oldestVisibleSince + window;
}
