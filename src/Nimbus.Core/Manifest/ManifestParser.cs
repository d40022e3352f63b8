namespace Nimbus.Core.Manifest;

// TEMPORARY (cli branch): stand-in so the CLI compiles before the manifest helper's branch is merged.
// The manifest helper's file of the same name replaces this one; take theirs on merge.
public static class ManifestParser
{
    public static ManifestParseResult Parse(string yamlText, string baseDirectory) =>
        throw new NotImplementedException("ManifestParser comes from the manifest branch.");
}
