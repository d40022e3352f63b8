namespace Nimbus.Bench;

/// <summary>Resident memory of idle instances of one runtime and the server's own growth per instance, in MB.</summary>
public sealed record MemoryResult(
    string Runtime,
    int IdleInstances,
    int AddedInstances,
    double WorkerRssMedianMb,
    double WorkerRssMaxMb,
    double ServerRssBeforeMb,
    double ServerRssAfterMb,
    double ServerRssPerInstanceMb);
