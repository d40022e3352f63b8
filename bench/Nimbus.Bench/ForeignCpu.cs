using System.Diagnostics;
using System.Globalization;

namespace Nimbus.Bench;

/// <summary>
/// How much CPU processes that are not the benchmark's took on the benchmark's cores during the run: the busy time of
/// those cores (/proc/stat) minus the CPU time of the harness's own process tree (the harness, Nimbus or the baseline
/// server, their workers, the builds; /proc/PID/stat, children that exited included through the parent's cutime/cstime).
/// The load average cannot tell the two apart: the benchmark's own workers are most of it.
/// </summary>
public static class ForeignCpu
{
    /// <summary>Linux reports CPU times in USER_HZ, 100 per second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Busy ticks of the cores, ticks of the tree, and when they were read.</summary>
    public readonly record struct Sample(long CoreBusyTicks, long TreeTicks, long Timestamp);

    /// <summary>The other processes' CPU over the run, in cores kept busy on average (0.5 = half a core all along).</summary>
    public readonly record struct Usage(double ForeignCores, int Cores, TimeSpan Elapsed)
    {
        /// <summary>Share of the benchmark's cores' time that other processes used.</summary>
        public double Share => Cores == 0 ? 0 : ForeignCores / Cores;
    }

    /// <summary>Null where /proc is not there to read.</summary>
    public static Sample? Take(IReadOnlyCollection<int> cores, IReadOnlyCollection<int> roots)
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var busy = CoreBusyTicks(File.ReadLines("/proc/stat"), cores);
        var tree = roots.Sum(TreeTicks);
        return new Sample(busy, tree, Stopwatch.GetTimestamp());
    }

    public static Usage Between(Sample start, Sample end, int cores)
    {
        var elapsed = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp);
        var foreignTicks = (end.CoreBusyTicks - start.CoreBusyTicks) - (end.TreeTicks - start.TreeTicks);
        // Tick counts are read at slightly different moments; a small negative difference is zero.
        var foreign = elapsed <= TimeSpan.Zero ? 0 : Math.Max(0, foreignTicks) / TicksPerSecond / elapsed.TotalSeconds;
        return new Usage(foreign, cores, elapsed);
    }

    /// <summary>
    /// Busy ticks (user, nice, system, irq, softirq, steal; guest time is already in user) of the given cores, from the
    /// <c>cpuN</c> lines of /proc/stat.
    /// </summary>
    public static long CoreBusyTicks(IEnumerable<string> procStat, IReadOnlyCollection<int> cores)
    {
        long busy = 0;
        foreach (var line in procStat)
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3]))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var core) || !cores.Contains(core))
            {
                continue;
            }

            long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            busy += Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        }

        return busy;
    }

    /// <summary>
    /// utime + stime + cutime + cstime of one /proc/PID/stat line. The command name (field 2) may hold spaces and
    /// parentheses, so fields are counted from the last ')'.
    /// </summary>
    public static long ProcessTicks(string statLine)
    {
        var close = statLine.LastIndexOf(')');
        // After ')': state (3), ppid (4), … utime is field 14, stime 15, cutime 16, cstime 17.
        var fields = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }

    private static long TreeTicks(int pid)
    {
        long ticks;
        try
        {
            ticks = ProcessTicks(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0; // gone meanwhile: what it used is in its parent's cutime once reaped
        }

        return ticks + ProcMemory.Children(pid).Sum(TreeTicks);
    }
}
