namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>The platform's state at scrape time.</summary>
public sealed record PlatformGauges(
    IReadOnlyList<ConcurrencySample> Concurrency,
    IReadOnlyDictionary<string, int> InstancesByState,
    int FreeRuntimePorts,
    int RuntimePorts,
    long DroppedLogs)
{
    /// <summary>Calls the recursion guard stopped since the server started, per function.</summary>
    public IReadOnlyDictionary<string, long> RecursionDrops { get; init; } = new Dictionary<string, long>();

    /// <summary>Spans not exported to the OTLP endpoint (null when no endpoint is configured).</summary>
    public long? DroppedExportSpans { get; init; }

    /// <summary>Async queues at the last sample: function, depth, oldest event's age in seconds.</summary>
    public IReadOnlyList<(string Function, long Depth, double OldestAgeSeconds)> AsyncQueues { get; init; } = [];

    /// <summary>Async retries and dead letters since the server started, per function.</summary>
    public IReadOnlyList<(string Function, long Retries, long DeadLettered)> AsyncTotals { get; init; } = [];
}
