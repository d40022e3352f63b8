namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>The platform's state at scrape time.</summary>
public sealed record PlatformGauges(
    IReadOnlyList<ConcurrencySample> Concurrency,
    IReadOnlyDictionary<string, int> InstancesByState,
    int FreeRuntimePorts,
    int RuntimePorts,
    long DroppedLogs);
