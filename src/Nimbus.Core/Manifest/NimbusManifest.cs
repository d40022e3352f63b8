namespace Nimbus.Core.Manifest;

/// <summary>A parsed and validated <c>nimbus.yaml</c>.</summary>
public sealed record NimbusManifest(IReadOnlyList<FunctionManifest> Functions, string BaseDirectory);
