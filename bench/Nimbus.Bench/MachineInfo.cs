using System.Runtime.InteropServices;

namespace Nimbus.Bench;

/// <summary>What the numbers were measured on; printed with every report so that nobody compares apples to pears.</summary>
public sealed record MachineInfo(
    string CpuModel,
    int LogicalCores,
    string AllowedCpus,
    long MemoryMb,
    string Os,
    string Kernel,
    string DotnetRuntime,
    string DotnetSdk,
    double LoadAverage1m)
{
    public static async Task<MachineInfo> DetectAsync(CancellationToken cancellationToken)
    {
        var cpuModel = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ParseKb(ReadFirst("/proc/meminfo", "MemTotal"));
        var allowed = ReadFirst("/proc/self/status", "Cpus_allowed_list") ?? "?";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        var load = LoadAverage();
        string sdk;
        try
        {
            var (code, output) = await ManagedProcess.RunToEndAsync("dotnet", ["--version"], null, cancellationToken);
            sdk = code == 0 ? output.Trim() : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            sdk = "?";
        }
        return new MachineInfo(
            cpuModel,
            MachineCores(),
            allowed,
            memKb / 1024,
            RuntimeInformation.OSDescription,
            kernel,
            RuntimeInformation.FrameworkDescription,
            sdk,
            load);
    }

    /// <summary>All cores of the machine; Environment.ProcessorCount would show only the ones this process is pinned to.</summary>
    public static int MachineCores() => File.Exists("/proc/cpuinfo")
        ? Math.Max(1, File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)))
        : Environment.ProcessorCount;

    /// <summary>The 1-minute load average: how many runnable tasks competed for the cores.</summary>
    public static double LoadAverage() => File.Exists("/proc/loadavg")
        ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
        : double.NaN;

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':');
                return colon < 0 ? null : line[(colon + 1)..].Trim();
            }
        }
        return null;
    }

    internal static long ParseKb(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        var number = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(number, out var kb) ? kb : 0;
    }
}
