using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>Reads <c>nimbus.yaml</c>; an invalid manifest prints every error as <c>FILE:LINE: field: message</c> and exits 2.</summary>
internal static class ManifestLoader
{
    public static NimbusManifest Load(string path, string displayPath, TextWriter error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read manifest {displayPath}: {e.Message}", ExitCodes.Usage);
        }

        var result = ManifestParser.Parse(text, Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (result.Errors.Count > 0 || result.Manifest is null)
        {
            foreach (var manifestError in result.Errors)
            {
                error.WriteLine(FormatError(displayPath, manifestError));
            }

            throw new CliException(
                $"{displayPath} is invalid ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}); nothing was deployed",
                ExitCodes.Usage);
        }

        return result.Manifest;
    }

    /// <summary><c>nimbus.yaml:12: functions.orders.memory: must be from 64 to 10240</c>, the way compilers point at a line.</summary>
    public static string FormatError(string displayPath, ManifestError error) =>
        error.Line is { } line ? $"{displayPath}:{line}: {error.Field}: {error.Message}" : $"{displayPath}: {error.Field}: {error.Message}";
}
