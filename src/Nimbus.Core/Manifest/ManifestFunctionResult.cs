namespace Nimbus.Core.Manifest;

/// <summary>A function read from the manifest, with where each of its routes was written.</summary>
internal sealed record ManifestFunctionResult(FunctionManifest Function, IReadOnlyList<ManifestRouteDeclaration> Routes);
