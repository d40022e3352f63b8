using System.Collections.Concurrent;
using System.Diagnostics;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// Finds the real executable of an interpreter (node, python3, dotnet) on the host, once per name, so a sandbox can run
/// it without the host's PATH: version-manager shims (pyenv, nvm) are scripts that need the user's home, which the
/// sandbox does not show, so python is asked for its own <c>sys.executable</c> and other programs are followed through
/// their symlinks.
/// </summary>
public sealed class RuntimeLocator
{
    private readonly ConcurrentDictionary<string, LocatedRuntime?> _located = new(StringComparer.Ordinal);
    private readonly string? _hostPath;

    public RuntimeLocator(string? hostPath) => _hostPath = hostPath;

    /// <summary>The interpreter's real location; null when it is not installed.</summary>
    public LocatedRuntime? Locate(string interpreter) => _located.GetOrAdd(interpreter, Find);

    private LocatedRuntime? Find(string interpreter)
    {
        var onPath = (_hostPath ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Join(directory, interpreter))
            .FirstOrDefault(File.Exists);
        if (onPath is null)
        {
            return null;
        }

        var executable = interpreter.StartsWith("python", StringComparison.Ordinal) ? AskPython(onPath) ?? onPath : onPath;
        executable = new FileInfo(executable).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? executable;
        if (SandboxLayout.IsCoveredBySystemDirectories(executable))
        {
            return new LocatedRuntime(executable, null);
        }

        // <prefix>/bin/node needs <prefix>/lib; a dotnet root holds the muxer beside shared/.
        var directory = Path.GetDirectoryName(executable)!;
        var root = Path.GetFileName(directory) == "bin" ? Path.GetDirectoryName(directory)! : directory;
        return new LocatedRuntime(executable, root);
    }

    private static string? AskPython(string python)
    {
        try
        {
            var startInfo = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add("import sys; print(sys.executable)");
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 && output.StartsWith('/') ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
