namespace Nimbus.Core.Metrics;

/// <summary>What <c>GET /api/v1/metrics</c> asks for; <see cref="Version"/>/<see cref="Alias"/> are <see cref="MetricSeriesKey.Any"/> when not given.</summary>
public sealed record MetricQuery(
    string Function,
    string Version,
    string Alias,
    string Metric,
    string Dimension,
    MetricStatistic Statistic,
    int PeriodSeconds,
    DateTimeOffset Since,
    DateTimeOffset Until)
{
    public MetricSeriesKey Key => new(Function, Version, Alias, Metric, Dimension);
}
