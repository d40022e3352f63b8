namespace Nimbus.Bench;

/// <summary>
/// What the operations layer's telemetry costs in one run: the "operations on" row against the <c>--no-telemetry</c>
/// row of the same build (issue 13 asks for ≤ 5 % of throughput and of p50). Positive means the operations layer is slower.
/// </summary>
public sealed class TelemetryCost
{
    /// <summary>Per connection count, the share of <c>--no-telemetry</c>'s req/s that telemetry took, in percent.</summary>
    public Dictionary<int, double> ThroughputPercent { get; } = [];

    /// <summary>How much higher p50 at one connection is with telemetry, in percent.</summary>
    public double? P50Percent { get; init; }

    /// <summary>The cost from the two rows of one run; null when either is missing.</summary>
    public static TelemetryCost? From(IReadOnlyList<WrkRow> rows)
    {
        var on = rows.FirstOrDefault(r => r.System.StartsWith("nimbus (operations on)", StringComparison.Ordinal));
        var off = rows.FirstOrDefault(r => r.System.StartsWith("nimbus --no-telemetry", StringComparison.Ordinal));
        if (on is null || off is null)
        {
            return null;
        }

        var p50On = on.LatencyMs?.P50;
        var p50Off = off.LatencyMs?.P50;
        var cost = new TelemetryCost
        {
            P50Percent = p50On is > 0 && p50Off is > 0 ? (p50On.Value / p50Off.Value - 1) * 100 : null,
        };
        foreach (var (connections, offRate) in off.RequestsPerSecond)
        {
            if (offRate > 0 && on.RequestsPerSecond.TryGetValue(connections, out var onRate))
            {
                cost.ThroughputPercent[connections] = (1 - onRate / offRate) * 100;
            }
        }

        return cost;
    }
}
