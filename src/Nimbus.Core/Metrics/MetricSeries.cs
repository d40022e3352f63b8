namespace Nimbus.Core.Metrics;

/// <summary>A metric's values over time: one timestamp (bucket start, UTC) per value; buckets without data are left out.</summary>
public sealed record MetricSeries(
    string Function,
    string? Version,
    string? Alias,
    string Metric,
    string? Dimension,
    string Statistic,
    int PeriodSeconds,
    string Unit,
    IReadOnlyList<DateTimeOffset> Timestamps,
    IReadOnlyList<double> Values);
