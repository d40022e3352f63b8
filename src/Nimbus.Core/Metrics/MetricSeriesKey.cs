namespace Nimbus.Core.Metrics;

/// <summary>
/// One stored series. <see cref="Version"/> and <see cref="Alias"/> are <see cref="Any"/> for the series that sums all
/// of them, so "the function", "version 3" and "alias live" are each one exact key (no merging at query time).
/// <see cref="Dimension"/> is empty for the metric's total, or <c>outcome=Timeout</c>, <c>errorType=Error</c>.
/// </summary>
public readonly record struct MetricSeriesKey(string Function, string Version, string Alias, string Metric, string Dimension)
{
    public const string Any = "*";
}
