namespace Nimbus.Bench;

/// <summary>What one measured load run produced (warm-up excluded).</summary>
public sealed record LoadResult(
    int Connections,
    double DurationSeconds,
    long Succeeded,
    long Failed,
    string? FirstFailure,
    LatencyStats Latency)
{
    public double RequestsPerSecond => DurationSeconds > 0 ? Succeeded / DurationSeconds : 0;
}
