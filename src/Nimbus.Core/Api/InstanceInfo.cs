namespace Nimbus.Core.Api;

/// <summary>A running worker process as <c>GET /api/v1/instances</c> shows it.</summary>
public sealed record InstanceInfo(
    string Id,
    string FunctionName,
    string Version,
    int ProcessId,
    int RuntimePort,
    string State,
    bool Provisioned,
    DateTimeOffset StartedAt,
    double? InitDurationMs,
    long Invocations,
    DateTimeOffset LastUsedAt);
