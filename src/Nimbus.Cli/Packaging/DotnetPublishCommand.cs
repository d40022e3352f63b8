using System.Runtime.InteropServices;

namespace Nimbus.Cli.Packaging;

/// <summary>
/// How <c>nimbus deploy</c> publishes a dotnet function: Release, framework-dependent, for Linux on this machine's
/// architecture, ReadyToRun. ReadyToRun compiles the function's and the SDK's IL ahead of time (crossgen2), so a cold
/// start runs native code instead of JIT-compiling the SDK and the runtime API client first (docs/design/dotnet-cold-start.md).
/// </summary>
/// <remarks>
/// Workers always run on Linux, so the runtime identifier is Linux whatever the CLI runs on; on a server of another
/// architecture the precompiled code is ignored and the IL is JIT-compiled as without ReadyToRun. crossgen2 and the
/// runtime pack come from NuGet on the first publish, like any package.
/// </remarks>
public static class DotnetPublishCommand
{
    /// <summary>The runtime identifier functions are published for: <c>linux-x64</c>, <c>linux-arm64</c>, …</summary>
    public static string RuntimeIdentifier(Architecture architecture) =>
        "linux-" + architecture.ToString().ToLowerInvariant();

    /// <summary>The arguments after <c>dotnet</c>.</summary>
    public static IReadOnlyList<string> Arguments(string project, string outputDirectory, Architecture architecture) =>
    [
        "publish", project,
        "-c", "Release",
        "-r", RuntimeIdentifier(architecture),
        "--self-contained", "false",
        "-p:PublishReadyToRun=true",
        "-o", outputDirectory,
        "--nologo",
    ];

    /// <summary>The arguments for this machine's architecture.</summary>
    public static IReadOnlyList<string> Arguments(string project, string outputDirectory) =>
        Arguments(project, outputDirectory, RuntimeInformation.OSArchitecture);
}
