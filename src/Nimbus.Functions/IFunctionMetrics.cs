namespace Nimbus.Functions;

/// <summary>
/// Custom metrics, written as CloudWatch Embedded Metric Format lines on stdout (what Powertools Metrics writes), which
/// Nimbus stores as the metric <c>Namespace/Name</c> of the function, queryable like its built-in metrics.
/// </summary>
public interface IFunctionMetrics
{
    /// <summary>
    /// The namespace of the metrics added after it is set: <c>POWERTOOLS_METRICS_NAMESPACE</c> when that is set,
    /// else the function's name.
    /// </summary>
    string Namespace { get; set; }

    /// <summary>Writes one value of a metric now.</summary>
    /// <param name="name">The metric's name (the stored metric is <c>Namespace/name</c>).</param>
    /// <param name="value">The value.</param>
    /// <param name="unit">A CloudWatch unit (<c>Count</c>, <c>Milliseconds</c>, <c>Bytes</c>, ...); <c>None</c> by default.</param>
    /// <param name="dimensions">Optional dimensions (at most 30); the value then also counts in that dimension set.</param>
    void Add(string name, double value, string unit = "None", IReadOnlyDictionary<string, string>? dimensions = null);
}
