namespace Nimbus.Bench;

/// <summary>
/// How the server under test and the load generator share the machine. With two or more cores the server
/// (and, by inheritance, its workers) is pinned to one core and the harness to another, so that the load
/// generator does not steal the server's CPU; with one core nothing is pinned and the report says so.
/// </summary>
public sealed record CpuPlan(int? ServerCore, int? HarnessCore, string Description)
{
    public const string PinnedEnvironmentVariable = "NIMBUS_BENCH_PINNED";

    public static CpuPlan Choose(bool pin)
    {
        var allowed = AllowedCpus();
        if (!pin || allowed.Count < 2 || !TasksetAvailable())
        {
            var why = !pin ? "--no-pin given" : allowed.Count < 2 ? "fewer than 2 usable cores" : "taskset not found";
            return new CpuPlan(null, null,
                $"not pinned ({why}): server, workers and load generator share cores {string.Join(',', allowed)} under the OS scheduler");
        }
        return Pinned(allowed[0], allowed[1]);
    }

    public static CpuPlan Pinned(int server, int harness) => new(server, harness,
        $"server under test (nimbus or baseline) pinned to core {server} with taskset, its workers inherit that " +
        $"affinity; the harness and its load generator pinned to core {harness}");

    /// <summary>The plan a parent process chose before re-running the harness pinned ("server,harness").</summary>
    public static CpuPlan? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(PinnedEnvironmentVariable);
        var parts = value?.Split(',');
        return parts is { Length: 2 } && int.TryParse(parts[0], out var server) && int.TryParse(parts[1], out var harness)
            ? Pinned(server, harness)
            : null;
    }

    /// <summary>CPUs this process may run on, from /proc/self/status (e.g. "0-1,4").</summary>
    public static List<int> AllowedCpus()
    {
        var line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            : null;
        if (line is null)
        {
            return [.. Enumerable.Range(0, Environment.ProcessorCount)];
        }
        return ParseCpuList(line["Cpus_allowed_list:".Length..].Trim());
    }

    public static List<int> ParseCpuList(string list)
    {
        var cpus = new List<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            var from = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            var to = range.Length > 1 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : from;
            for (var c = from; c <= to; c++)
            {
                cpus.Add(c);
            }
        }
        return cpus;
    }

    private static bool TasksetAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "taskset")));
}
