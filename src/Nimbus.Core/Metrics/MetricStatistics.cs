namespace Nimbus.Core.Metrics;

/// <summary>
/// What one bucket of one series holds: sample count, sum, minimum, maximum and (for non-counter metrics) a
/// <see cref="LogHistogram"/>. Everything merges, so 10-second buckets add up to minutes and hours exactly.
/// </summary>
public sealed class MetricStatistics
{
    public MetricStatistics(bool withHistogram) => Histogram = withHistogram ? new LogHistogram() : null;

    public MetricStatistics(long sampleCount, double sum, double minimum, double maximum, LogHistogram? histogram)
    {
        SampleCount = sampleCount;
        Sum = sum;
        Minimum = minimum;
        Maximum = maximum;
        Histogram = histogram;
    }

    public long SampleCount { get; private set; }
    public double Sum { get; private set; }
    public double Minimum { get; private set; } = double.PositiveInfinity;
    public double Maximum { get; private set; } = double.NegativeInfinity;
    public LogHistogram? Histogram { get; }

    public void Add(double value)
    {
        SampleCount++;
        Sum += value;
        Minimum = Math.Min(Minimum, value);
        Maximum = Math.Max(Maximum, value);
        Histogram?.Add(value);
    }

    public void Merge(MetricStatistics other)
    {
        if (other.SampleCount == 0)
        {
            return;
        }

        SampleCount += other.SampleCount;
        Sum += other.Sum;
        Minimum = Math.Min(Minimum, other.Minimum);
        Maximum = Math.Max(Maximum, other.Maximum);
        if (other.Histogram is not null)
        {
            Histogram?.Merge(other.Histogram);
        }
    }
}
