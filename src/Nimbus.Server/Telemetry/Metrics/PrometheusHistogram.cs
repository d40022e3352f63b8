namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>A cumulative Prometheus histogram in seconds with fixed upper bounds (<see cref="Bounds"/>).</summary>
public sealed class PrometheusHistogram
{
    /// <summary>Upper bounds in seconds: 1 ms to the 15-minute function timeout limit.</summary>
    public static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

    private readonly long[] _counts = new long[Bounds.Length];

    public long Count { get; private set; }
    public double Sum { get; private set; }

    /// <summary>Samples at or below each bound (cumulative, as the exposition format wants).</summary>
    public IReadOnlyList<long> CumulativeCounts => _counts;

    public void Observe(double seconds)
    {
        Count++;
        Sum += seconds;
        for (var i = 0; i < Bounds.Length; i++)
        {
            if (seconds <= Bounds[i])
            {
                _counts[i]++;
            }
        }
    }
}
