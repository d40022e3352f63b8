namespace Nimbus.Core.Metrics;

/// <summary>
/// One version's (or, with <see cref="Version"/> null, the whole function's) invocations, cold starts and cost over a
/// window. Percentiles are null when nothing was measured; they carry the histogram's relative error (1 %).
/// </summary>
public sealed record VersionMetricsSummary(
    string? Version,
    long Invocations,
    long Errors,
    long Throttles,
    long ColdStarts,
    double ColdStartRatio,
    double? InitDurationP50,
    double? InitDurationP90,
    double? InitDurationP99,
    double? DurationP50,
    double? DurationP90,
    double? DurationP99,
    double? DurationMax,
    double GbSeconds,
    double EstimatedMonthlyCost)
{
    /// <summary>Reads the summary from each metric's statistics merged over the window.</summary>
    public static VersionMetricsSummary From(string? version, Func<string, MetricStatistics?> total, TimeSpan window, double pricePerGbSecond)
    {
        long Count(string metric) => (long)Math.Round(total(metric)?.Sum ?? 0);
        double? Quantile(string metric, double q) => total(metric)?.Histogram?.Quantile(q);
        var invocations = Count(MetricNames.Invocations);
        var coldStarts = Count(MetricNames.ColdStarts);
        var gbSeconds = total(MetricNames.GbSeconds)?.Sum ?? 0;
        var duration = total(MetricNames.Duration);
        return new VersionMetricsSummary(
            version,
            invocations,
            Count(MetricNames.Errors),
            Count(MetricNames.Throttles),
            coldStarts,
            invocations == 0 ? 0 : (double)coldStarts / invocations,
            Quantile(MetricNames.InitDuration, 0.5),
            Quantile(MetricNames.InitDuration, 0.9),
            Quantile(MetricNames.InitDuration, 0.99),
            Quantile(MetricNames.Duration, 0.5),
            Quantile(MetricNames.Duration, 0.9),
            Quantile(MetricNames.Duration, 0.99),
            duration is { SampleCount: > 0 } ? duration.Maximum : null,
            gbSeconds,
            InvocationCost.MonthlyCost(gbSeconds, window, pricePerGbSecond));
    }
}
