namespace Nimbus.Bench;

/// <summary>
/// Issue 13's cold-start goal: a .NET SDK worker from spawn to its first response in at most 100 ms on this machine.
/// "Spawn" is the worker's launch as Nimbus runs it (sandbox included), so the figure set against it is bare→resp;
/// the client's cold invoke adds the platform's own part (HTTP hop, deploy-time package extraction, dispatch).
/// </summary>
public static class ColdStartGoal
{
    public const string Runtime = "dotnet";
    public const double SpawnToResponseMs = 100;

    /// <summary>The line printed under the cold-start table, or null when the run has no dotnet cold start.</summary>
    public static string? Line(IEnumerable<ColdStartResult> results)
    {
        var dotnet = results.FirstOrDefault(c => c.Runtime == Runtime && c.BareError is null && c.BareStartToResponse.Count > 0);
        if (dotnet is null)
        {
            return null;
        }

        var bare = dotnet.BareStartToResponse;
        var verdict = bare.P50 <= SpawnToResponseMs ? "met at the median" : "NOT met at the median";
        var cpu = dotnet.BareCpuToResponse is { Count: > 0 } c ? $", CPU {c.P50:0} / {c.P90:0} ms" : "";
        return $"  goal (issue 13): .NET spawn→first response ≤ {SpawnToResponseMs:0} ms; here {bare.P50:0.0} ms p50 / {bare.P90:0.0} ms p90 ({verdict}{cpu}); " +
            $"through Nimbus, client cold invoke {dotnet.ClientColdInvoke.P50:0.0} / {dotnet.ClientColdInvoke.P90:0.0} ms";
    }
}
