using Nimbus.Core.Functions;

namespace Nimbus.Core.Manifest;

/// <summary>One function declared in <c>nimbus.yaml</c>.</summary>
/// <param name="CodePath">Absolute path of the code directory (resolved against the manifest's folder).</param>
/// <param name="Alias">When set, deploy publishes a version and points this alias at it.</param>
/// <param name="ProvisionedConcurrency">Instances kept warm for the alias (or <c>$LATEST</c> without one).</param>
/// <param name="Build">Optional shell command run in <see cref="CodePath"/> before packaging.</param>
/// <param name="Line">Line in the manifest where the function starts (1-based), for messages.</param>
public sealed record FunctionManifest(
    FunctionConfig Config,
    string CodePath,
    string? Alias,
    int? ProvisionedConcurrency,
    string? Build,
    int Line);
