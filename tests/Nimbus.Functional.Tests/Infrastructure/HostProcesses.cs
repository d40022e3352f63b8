using System.Text;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// Finds processes on this host by their command line. A worker in a PID namespace cannot tell the host its pid (it
/// sees the namespace's), so tests give a process a unique argument and look for that.
/// </summary>
public static class HostProcesses
{
    /// <summary>A `sleep` argument no other process on the host has: 300 seconds and a random fraction.</summary>
    public static string UniqueSleepArgument() => "300." + Random.Shared.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Pids of the live (not zombie) processes whose command line is exactly <paramref name="arguments"/>.</summary>
    public static int[] WithCommandLine(params string[] arguments)
    {
        var expected = string.Join('\0', arguments) + "\0";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline"))) == expected && IsRunning(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // exited while we looked
            }
        }

        return [.. found];
    }

    /// <summary>Present in /proc and not a zombie: a killed process whose parent has not reaped it yet is dead.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
