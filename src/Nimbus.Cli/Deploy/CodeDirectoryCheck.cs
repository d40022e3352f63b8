using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>Every function's <c>code</c> must name an existing directory; each that does not is reported at the line of its <c>code:</c> key.</summary>
internal static class CodeDirectoryCheck
{
    public static IReadOnlyList<ManifestError> Check(NimbusManifest manifest, IEnumerable<FunctionManifest> functions)
    {
        var errors = new List<ManifestError>();
        foreach (var function in functions)
        {
            if (Directory.Exists(function.CodePath))
            {
                continue;
            }

            var shown = Path.GetRelativePath(manifest.BaseDirectory, function.CodePath);
            var what = File.Exists(function.CodePath) ? "is a file; 'code' must name a directory" : "does not exist";
            errors.Add(new ManifestError(
                $"functions.{function.Config.Name}.code",
                $"{shown} {what} (looked for {function.CodePath}; code is relative to the manifest's folder)",
                function.LineOf("code")));
        }

        return errors;
    }
}
