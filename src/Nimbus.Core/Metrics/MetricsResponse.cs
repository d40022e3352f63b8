namespace Nimbus.Core.Metrics;

/// <summary>What <c>GET /api/v1/metrics</c> returns: one series per metric and statistic asked for.</summary>
public sealed record MetricsResponse(DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<MetricSeries> Series);
