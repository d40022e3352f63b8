namespace Nimbus.Bench;

/// <summary>One warm load run: a target (baseline or a Nimbus function) at one connection count.</summary>
public sealed record WarmPoint(
    string Target,
    int Connections,
    double RequestsPerSecond,
    long Succeeded,
    long Failed,
    string? FirstFailure,
    LatencyStats LatencyMs,
    int? Instances)
{
    public static WarmPoint From(string target, LoadResult result, int? instances) => new(
        target, result.Connections, result.RequestsPerSecond, result.Succeeded, result.Failed, result.FirstFailure, result.Latency, instances);
}
