namespace Nimbus.Core.Deployments.Shadow;

/// <summary>
/// The running counts of one shadow deployment, and the latencies of the last <see cref="LatencyWindow"/> compared
/// copies for its percentiles. Thread safe: the invoker, the runner and the call guard record into it concurrently.
/// </summary>
public sealed class ShadowTally
{
    public const int LatencyWindow = 1024;
    public const int MaxExamples = 5;
    private const int ExampleBodyChars = 200;

    private readonly object _lock = new();
    private readonly double[] _live = new double[LatencyWindow];
    private readonly double[] _shadow = new double[LatencyWindow];
    private readonly List<ShadowExample> _examples = [];
    private long _mirrored;
    private long _compared;
    private long _same;
    private long _outcomeDiffers;
    private long _errorTypeDiffers;
    private long _bodyDiffers;
    private long _dropped;
    private long _suppressed;

    /// <summary>A live call was picked for a copy and queued.</summary>
    public void Mirrored() => Interlocked.Increment(ref _mirrored);

    /// <summary>A picked copy was not run: the queue was full, or the new version could not be invoked.</summary>
    public void Dropped() => Interlocked.Increment(ref _dropped);

    /// <summary>A call the shadow made to another function (or a queue) was answered without being made.</summary>
    public void Suppressed() => Interlocked.Increment(ref _suppressed);

    /// <summary>Records one compared copy.</summary>
    public ShadowComparison Record(string requestId, ShadowOutcome live, ShadowOutcome shadow)
    {
        var comparison = ShadowComparer.Compare(live, shadow);
        lock (_lock)
        {
            var slot = (int)(_compared % LatencyWindow);
            _live[slot] = live.LatencyMs;
            _shadow[slot] = shadow.LatencyMs;
            _compared++;
            switch (comparison.Difference)
            {
                case ShadowDifference.Same:
                    _same++;
                    break;
                case ShadowDifference.OutcomeDiffers:
                    _outcomeDiffers++;
                    break;
                case ShadowDifference.ErrorTypeDiffers:
                    _errorTypeDiffers++;
                    break;
                default:
                    _bodyDiffers++;
                    break;
            }

            if (comparison.Difference != ShadowDifference.Same && _examples.Count < MaxExamples)
            {
                _examples.Add(new(requestId, comparison.Difference, Describe(live), Describe(shadow)));
            }
        }

        return comparison;
    }

    public ShadowReport Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_compared, LatencyWindow);
            var live = _live.AsSpan(0, count).ToArray();
            var shadow = _shadow.AsSpan(0, count).ToArray();
            Array.Sort(live);
            Array.Sort(shadow);
            return new(
                Interlocked.Read(ref _mirrored), _compared, _same, _outcomeDiffers, _errorTypeDiffers, _bodyDiffers,
                Interlocked.Read(ref _dropped), Interlocked.Read(ref _suppressed),
                Percentile(live, 0.50), Percentile(shadow, 0.50), Percentile(live, 0.99), Percentile(shadow, 0.99),
                _examples.ToArray());
        }
    }

    /// <summary>Nearest rank over sorted values, rounded to 0.1 ms; null when there are none.</summary>
    public static double? Percentile(ReadOnlySpan<double> sorted, double quantile)
    {
        if (sorted.IsEmpty)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 1);
    }

    private static string Describe(ShadowOutcome outcome)
    {
        var body = System.Text.Encoding.UTF8.GetString(outcome.Body.Span[..Math.Min(outcome.Body.Length, ExampleBodyChars * 4)]);
        if (body.Length > ExampleBodyChars)
        {
            body = body[..ExampleBodyChars] + "…";
        }

        var error = outcome.ErrorType is { } type ? $" {type}" : "";
        return $"{outcome.Outcome}{error}: {body}";
    }
}
