using System.Runtime.CompilerServices;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// A directory the tests share with their functions. Sandboxed functions see a private /tmp, so a file a test wants a
/// function to write (a record of its attempts, say) lives here instead: every test server binds it into each sandbox
/// (<see cref="Nimbus.Server.Hosting.NimbusServerOptions.SandboxSharedDirectories"/>, and <c>NIMBUS_SANDBOX_SHARED_DIRS</c>
/// for the <c>nimbus up</c> processes the tests start, which inherit it). Functions run as their own users, so the
/// directory and its files are writable by everyone.
/// </summary>
public static class SharedScratch
{
    public const string Variable = "NIMBUS_SANDBOX_SHARED_DIRS";

    public static string Directory { get; } = Create();

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Every nimbus up the tests start must inherit it.")]
    internal static void Initialize()
    {
        if (OperatingSystem.IsLinux())
        {
            Environment.SetEnvironmentVariable(Variable, Directory);
        }
    }

    /// <summary>A new empty file in the shared directory that a function may append to.</summary>
    public static string NewFile(string prefix)
    {
        var path = Path.Combine(Directory, $"{prefix}-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        }

        return path;
    }

    private static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "nimbus-shared-scratch");
        System.IO.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b1_111_111_111);
        }

        return path;
    }
}
