namespace Nimbus.Core.Metrics;

/// <summary>One bucket of one series: <paramref name="Start"/> is unix milliseconds, <paramref name="PeriodSeconds"/> its size.</summary>
public sealed record MetricBucket(MetricSeriesKey Key, int PeriodSeconds, long Start, MetricStatistics Statistics);
