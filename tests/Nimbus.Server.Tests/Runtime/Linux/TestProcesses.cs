using System.Diagnostics;

namespace Nimbus.Server.Tests.Runtime.Linux;

/// <summary>Real processes for the Linux tests, and waits on their state (the kernel gives no event for a non-child's death).</summary>
internal sealed class TestProcesses : IDisposable
{
    private readonly List<Process> _started = [];

    /// <summary>Starts <c>sh -c script</c> with stdout redirected so the script can report pids and readiness.</summary>
    public Process Shell(string script)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        var process = Process.Start(startInfo)!;
        _started.Add(process);
        return process;
    }

    public void Track(Process process) => _started.Add(process);

    public static async Task<string> ReadLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new InvalidOperationException($"process {process.Id} closed stdout before writing the expected line");
    }

    /// <summary>Running means present in /proc and not a zombie: a killed process whose parent has not reaped it yet is dead.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }
}
