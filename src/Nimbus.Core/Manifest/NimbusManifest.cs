namespace Nimbus.Core.Manifest;

/// <summary>A parsed and validated <c>nimbus.yaml</c>.</summary>
public sealed record NimbusManifest(IReadOnlyList<FunctionManifest> Functions, string BaseDirectory)
{
    /// <summary>The queues declared under <c>queues:</c>; deploy creates or updates them before the functions that consume them.</summary>
    public IReadOnlyList<Queues.QueueConfig> Queues { get; init; } = [];
}
