using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>Reads <c>nimbus.yaml</c>; an invalid manifest prints every error as <c>FILE:LINE: field: message</c> and exits 2.</summary>
internal static class ManifestLoader
{
    public static NimbusManifest Load(string path, string displayPath, TextWriter error)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read manifest {displayPath}: {e.Message}", ExitCodes.Usage);
        }

        var result = ManifestParser.Parse(bytes, Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (result.Errors.Count > 0 || result.Manifest is null)
        {
            Fail(displayPath, result.Errors, error);
        }

        return result.Manifest;
    }

    /// <summary>Prints every error, compiler style, and stops with exit code 2: nothing is deployed.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string displayPath, IReadOnlyList<ManifestError> errors, TextWriter error)
    {
        foreach (var manifestError in errors.OrderBy(e => e.Line ?? 0))
        {
            error.WriteLine(FormatError(displayPath, manifestError));
        }

        throw new CliException(
            $"{displayPath} is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}); nothing was deployed",
            ExitCodes.Usage);
    }

    /// <summary><c>nimbus.yaml:12: functions.orders.memory: must be from 64 to 10240</c>, the way compilers point at a line.</summary>
    public static string FormatError(string displayPath, ManifestError error) =>
        error.Line is { } line ? $"{displayPath}:{line}: {error.Field}: {error.Message}" : $"{displayPath}: {error.Field}: {error.Message}";
}
