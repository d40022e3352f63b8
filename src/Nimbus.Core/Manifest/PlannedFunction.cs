namespace Nimbus.Core.Manifest;

/// <summary>A function of the manifest with the SHA-256 of the package its code directory gives (built, zipped deterministically).</summary>
public sealed record PlannedFunction(FunctionManifest Manifest, string CodeSha256);
