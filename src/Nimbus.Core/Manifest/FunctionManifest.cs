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
    int Line)
{
    /// <summary>The line of each key as written (<c>code</c>, <c>alias</c>, <c>routes[0]</c>, ...), for messages about it.</summary>
    public IReadOnlyDictionary<string, int> KeyLines { get; init; } = new Dictionary<string, int>();

    /// <summary>The <c>deployment:</c> block: deploy moves <see cref="Alias"/> to the new version by it; null sets the alias at once.</summary>
    public ManifestDeployment? Deployment { get; init; }

    /// <summary>
    /// The configuration deploy sends: routes of a function with an alias invoke that alias unless they name a
    /// qualifier themselves.
    /// </summary>
    public FunctionConfig DeployConfig() =>
        Alias is not { } alias
            ? Config
            : Config with { Routes = [.. Config.Routes.Select(r => r.Qualifier is null ? r with { Qualifier = alias } : r)] };

    /// <summary>The line of <paramref name="key"/>, else the line where the function starts.</summary>
    public int LineOf(string key) => KeyLines.TryGetValue(key, out var line) ? line : Line;
}
