namespace Nimbus.Core.Manifest;

/// <summary>The outcome of <see cref="ManifestParser.Parse"/>: a manifest, or (never both) the errors, ordered by line.</summary>
public sealed record ManifestParseResult(NimbusManifest? Manifest, IReadOnlyList<ManifestError> Errors)
{
    public bool Succeeded => Manifest is not null;
}
