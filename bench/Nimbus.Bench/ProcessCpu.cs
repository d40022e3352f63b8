using System.Globalization;

namespace Nimbus.Bench;

/// <summary>CPU time (utime + stime, all threads) of a server process and, separately, of its live descendants.</summary>
public sealed record ProcessCpu(double ServerSeconds, double WorkerSeconds)
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessCpu Take(int serverPid)
    {
        var workers = Tree(serverPid).Where(p => p != serverPid).Sum(Seconds);
        return new ProcessCpu(Seconds(serverPid), workers);
    }

    /// <summary>The process and its live descendants (from <c>/proc/PID/task/TID/children</c>).</summary>
    public static List<int> Tree(int root)
    {
        var all = new List<int> { root };
        for (var i = 0; i < all.Count; i++)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{all[i]}/task"))
                {
                    var children = File.ReadAllText(Path.Combine(task, "children"));
                    all.AddRange(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // it exited meanwhile
            }
        }
        return [.. all.Distinct()];
    }

    private static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The name in parentheses may hold spaces; the fields after it start with the state (field 3).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
