using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>A function of the manifest with its deterministic zip.</summary>
internal sealed record FunctionPackage(FunctionManifest Function, byte[] Zip, string Sha256);
