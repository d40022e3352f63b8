namespace Nimbus.Bench;

/// <summary>
/// Issue 13's goal for several invocations per instance: the C# SDK function with 16 per instance reaches at least the
/// C worker's throughput at 32 connections, with a handful of processes instead of 32. Both rows come from the same run.
/// </summary>
public static class CpiGoal
{
    public const int SharedSlots = 16;
    public const int HandfulOfProcesses = 4;

    /// <summary>The line printed under the cpi table, or null when the run lacks either row.</summary>
    public static string? Line(IReadOnlyList<CpiRow> rows)
    {
        var c = rows.FirstOrDefault(r => r.System.Contains("(provided)", StringComparison.Ordinal) && r.ConcurrencyPerInstance == 1);
        var shared = rows.FirstOrDefault(r => r.System.Contains("(dotnet)", StringComparison.Ordinal) && r.ConcurrencyPerInstance == SharedSlots);
        if (c is null || shared is null || c.RequestsPerSecond <= 0)
        {
            return null;
        }

        var share = shared.RequestsPerSecond / c.RequestsPerSecond;
        var met = share >= 1 && shared.Processes <= HandfulOfProcesses;
        return $"  goal (issue 13): C# with {SharedSlots} per instance ≥ the C worker's req/s on ≤ {HandfulOfProcesses} processes; " +
            $"here {shared.RequestsPerSecond:0} vs {c.RequestsPerSecond:0} req/s ({share:P0}) on {shared.Processes} process(es) " +
            $"({(met ? "met" : "NOT met")}; p99 {shared.Latency.P99:0.0} vs {c.Latency.P99:0.0} ms)";
    }
}
