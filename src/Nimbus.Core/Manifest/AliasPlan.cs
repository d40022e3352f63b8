namespace Nimbus.Core.Manifest;

/// <summary>What a deploy would do to the function's alias.</summary>
/// <param name="FromVersion">The version the alias points at now; null when it does not exist.</param>
/// <param name="FromAdditionalVersions">Versions that get a share of its traffic now (weights dropped by the deploy).</param>
/// <param name="ToVersion">The version it would point at: an existing one, or the next number when <paramref name="NewVersion"/>.</param>
/// <param name="NewVersion">True when the deploy publishes a new version (code or configuration differ from the newest one).</param>
public sealed record AliasPlan(
    string Name,
    AliasAction Action,
    int? FromVersion,
    IReadOnlyDictionary<string, double> FromAdditionalVersions,
    int ToVersion,
    bool NewVersion)
{
    /// <summary>When applying starts a deployment (the alias exists and the function has a <c>deployment:</c> block), its
    /// strategy (<c>Canary10Percent5Minutes</c>); null when the alias is simply moved or created.</summary>
    public string? Strategy { get; init; }
}
