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

    /// <summary>Events in the function's async queue (sampled every 10 seconds).</summary>
    public const string AsyncQueueDepth = "asyncQueueDepth";

    /// <summary>Age of the oldest event in the function's async queue, in milliseconds (sampled every 10 seconds).</summary>
    public const string AsyncEventAge = "asyncEventAge";

    /// <summary>Async attempts that failed and were scheduled again (one sample per retry).</summary>
    public const string Retries = "retries";

    /// <summary>Async events that ended in the dead-letter queue (one sample per event).</summary>
    public const string DeadLettered = "deadLettered";

    public static readonly IReadOnlyList<string> All =
        [Invocations, Errors, Throttles, Duration, InitDuration, ColdStarts, ConcurrentExecutions, MaxMemoryUsed, BilledDuration, GbSeconds,
            RecursiveInvocationsDropped, AsyncQueueDepth, AsyncEventAge, Retries, DeadLettered];

    /// <summary>Metrics whose samples are 0 or 1 per invocation (Sum counts, Average is a rate); they keep no histogram.</summary>
    public static bool IsCounter(string metric) => metric is Invocations or Errors or Throttles or ColdStarts or RecursiveInvocationsDropped or Retries or DeadLettered;

    public static bool IsKnown(string metric) => All.Contains(metric);

    /// <summary>A custom metric from Embedded Metric Format lines: <c>Namespace/Name</c>.</summary>
    public static bool IsCustom(string metric) =>
        metric.Length <= EmfParser.MaxNameLength && metric.IndexOf('/', StringComparison.Ordinal) is > 0 && metric[^1] != '/'
        && !metric.Any(char.IsControl);

    /// <summary>The unit of a metric's values, as the API reports it.</summary>
    public static string Unit(string metric) => metric switch
    {
        Duration or InitDuration or BilledDuration or AsyncEventAge => "Milliseconds",
        MaxMemoryUsed => "Megabytes",
        GbSeconds => "GB-Seconds",
        _ when IsCustom(metric) => "None",
        _ => "Count",
    };
}
