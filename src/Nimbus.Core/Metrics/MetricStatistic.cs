using System.Globalization;

namespace Nimbus.Core.Metrics;

/// <summary>A statistic of a bucket, as CloudWatch names them: Sum, Average, Minimum, Maximum, SampleCount, or pNN(.N).</summary>
public readonly record struct MetricStatistic(string Name, double? Percentile)
{
    public static readonly MetricStatistic Sum = new("Sum", null);
    public static readonly MetricStatistic Average = new("Average", null);
    public static readonly MetricStatistic Minimum = new("Minimum", null);
    public static readonly MetricStatistic Maximum = new("Maximum", null);
    public static readonly MetricStatistic SampleCount = new("SampleCount", null);

    public bool IsPercentile => Percentile is not null;

    /// <summary>Parses a statistic name (case-insensitive; <c>p99</c>, <c>p99.9</c>, <c>p50</c>).</summary>
    public static bool TryParse(string text, out MetricStatistic statistic)
    {
        foreach (var known in new[] { Sum, Average, Minimum, Maximum, SampleCount })
        {
            if (string.Equals(text, known.Name, StringComparison.OrdinalIgnoreCase))
            {
                statistic = known;
                return true;
            }
        }

        if (text.Length > 1 && text[0] is 'p' or 'P'
            && double.TryParse(text.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 100)
        {
            statistic = new MetricStatistic("p" + p.ToString(CultureInfo.InvariantCulture), p);
            return true;
        }

        statistic = default;
        return false;
    }

    /// <summary>The statistic's value for a bucket; null for an empty bucket or a percentile without a histogram.</summary>
    public double? Evaluate(MetricStatistics statistics)
    {
        if (statistics.SampleCount == 0)
        {
            return Name == SampleCount.Name || Name == Sum.Name ? 0 : null;
        }

        return Percentile is { } p
            ? statistics.Histogram?.Quantile(p / 100)
            : Name switch
            {
                "Sum" => statistics.Sum,
                "Average" => statistics.Sum / statistics.SampleCount,
                "Minimum" => statistics.Minimum,
                "Maximum" => statistics.Maximum,
                _ => statistics.SampleCount,
            };
    }

    public override string ToString() => Name;
}
