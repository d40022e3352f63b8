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
    private ShadowReport? _resumed;
    private long _windowCount;

    /// <summary>A tally that continues a saved report (after a restart): its counts and examples go on; its percentiles
    /// are shown until this tally has latencies of its own.</summary>
    public static ShadowTally Resume(ShadowReport saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var tally = new ShadowTally
        {
            _mirrored = saved.Mirrored, _compared = saved.Compared, _same = saved.Same, _outcomeDiffers = saved.OutcomeDiffers,
            _errorTypeDiffers = saved.ErrorTypeDiffers, _bodyDiffers = saved.BodyDiffers, _dropped = saved.Dropped,
            _suppressed = saved.SuppressedCalls, _resumed = saved,
        };
        tally._examples.AddRange(saved.Examples.Take(MaxExamples));
        return tally;
    }

    /// <summary>Changes whenever anything is counted: a saver compares it with the last one it saved.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return Interlocked.Read(ref _mirrored) + _compared + Interlocked.Read(ref _dropped) + Interlocked.Read(ref _suppressed);
            }
        }
    }

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
            var slot = (int)(_windowCount % LatencyWindow);
            _live[slot] = live.LatencyMs;
            _shadow[slot] = shadow.LatencyMs;
            _compared++;
            _windowCount++;
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
            var count = (int)Math.Min(_windowCount, LatencyWindow);
            var live = _live.AsSpan(0, count).ToArray();
            var shadow = _shadow.AsSpan(0, count).ToArray();
            Array.Sort(live);
            Array.Sort(shadow);
            return new(
                Interlocked.Read(ref _mirrored), _compared, _same, _outcomeDiffers, _errorTypeDiffers, _bodyDiffers,
                Interlocked.Read(ref _dropped), Interlocked.Read(ref _suppressed),
                count > 0 ? Percentile(live, 0.50) : _resumed?.LiveP50Ms,
                count > 0 ? Percentile(shadow, 0.50) : _resumed?.ShadowP50Ms,
                count > 0 ? Percentile(live, 0.99) : _resumed?.LiveP99Ms,
                count > 0 ? Percentile(shadow, 0.99) : _resumed?.ShadowP99Ms,
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
