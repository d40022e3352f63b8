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
    DateTimeOffset LastUsedAt)
{
    /// <summary>Invocations the instance serves at once (its function's <c>concurrencyPerInstance</c>).</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Slots taken by invocations now.</summary>
    public int InFlight { get; init; }

    /// <summary>
    /// The nice value the platform gave the worker's scheduling group (several slots: the CPU weight of as many
    /// one-slot workers); null when it set none.
    /// </summary>
    public int? SchedulingNice { get; init; }
}
