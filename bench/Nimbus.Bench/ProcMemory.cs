namespace Nimbus.Bench;

/// <summary>Resident memory from /proc, in kilobytes as the kernel reports it.</summary>
public static class ProcMemory
{
    /// <summary>VmRSS of one process, or null when it is gone.</summary>
    public static long? RssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : MachineInfo.ParseKb(line["VmRSS:".Length..].Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>RSS of a process plus all its descendants: a worker started through a wrapper is counted whole.</summary>
    public static long? TreeRssKb(int pid)
    {
        if (RssKb(pid) is not { } own)
        {
            return null;
        }
        return own + Children(pid).Sum(child => TreeRssKb(child) ?? 0);
    }

    public static IEnumerable<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var file = Path.Combine(task, "children");
                if (File.Exists(file))
                {
                    children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return children;
    }

    /// <summary>Median of several readings a little apart, to step over a GC caught mid-way.</summary>
    public static async Task<long?> SteadyRssKbAsync(int pid, CancellationToken cancellationToken)
    {
        var readings = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            if (RssKb(pid) is { } kb)
            {
                readings.Add(kb);
            }
            await Task.Delay(200, cancellationToken);
        }
        return readings.Count == 0 ? null : readings.Order().ElementAt(readings.Count / 2);
    }
}
