namespace Nimbus.Core.Metrics;

/// <summary>The short metric names alarms, SLOs, the API and the CLI use (see docs/observability.md).</summary>
public static class MetricNames
{
    public const string Invocations = "invocations";
    public const string Errors = "errors";
    public const string Throttles = "throttles";
    public const string Duration = "duration";
    public const string InitDuration = "initDuration";
    public const string ColdStarts = "coldStarts";
    public const string ConcurrentExecutions = "concurrentExecutions";
    public const string MaxMemoryUsed = "maxMemoryUsed";
    public const string BilledDuration = "billedDuration";
    public const string GbSeconds = "gbSeconds";

    /// <summary>Calls the recursion guard stopped before they ran (one sample per stop).</summary>
    public const string RecursiveInvocationsDropped = "recursiveInvocationsDropped";

    public static readonly IReadOnlyList<string> All =
        [Invocations, Errors, Throttles, Duration, InitDuration, ColdStarts, ConcurrentExecutions, MaxMemoryUsed, BilledDuration, GbSeconds,
            RecursiveInvocationsDropped];

    /// <summary>Metrics whose samples are 0 or 1 per invocation (Sum counts, Average is a rate); they keep no histogram.</summary>
    public static bool IsCounter(string metric) => metric is Invocations or Errors or Throttles or ColdStarts or RecursiveInvocationsDropped;

    public static bool IsKnown(string metric) => All.Contains(metric);

    /// <summary>A custom metric from Embedded Metric Format lines: <c>Namespace/Name</c>.</summary>
    public static bool IsCustom(string metric) =>
        metric.Length <= EmfParser.MaxNameLength && metric.IndexOf('/', StringComparison.Ordinal) is > 0 && metric[^1] != '/'
        && !metric.Any(char.IsControl);

    /// <summary>The unit of a metric's values, as the API reports it.</summary>
    public static string Unit(string metric) => metric switch
    {
        Duration or InitDuration or BilledDuration => "Milliseconds",
        MaxMemoryUsed => "Megabytes",
        GbSeconds => "GB-Seconds",
        _ when IsCustom(metric) => "None",
        _ => "Count",
    };
}
