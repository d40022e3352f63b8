namespace Nimbus.Core.Metrics;

/// <summary>What <c>GET /api/v1/functions/{name}/metrics/summary</c> returns: the function's total and each version's.</summary>
public sealed record FunctionMetricsSummary(
    string Function,
    DateTimeOffset Since,
    DateTimeOffset Until,
    double PricePerGbSecond,
    VersionMetricsSummary Total,
    IReadOnlyList<VersionMetricsSummary> Versions);
