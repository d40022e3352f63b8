namespace Nimbus.Core.Api;

/// <summary>
/// An event source mapping as the API shows it (<c>GET /api/v1/sources</c>). <paramref name="State"/> is
/// <c>Enabled</c>, <c>Disabled</c> (declared <c>enabled: false</c>) or <c>Paused</c> (by an operator).
/// </summary>
public sealed record EventSourceInfo(
    string FunctionName,
    string Queue,
    int BatchSize,
    double MaximumBatchingWindowInSeconds,
    int MaximumConcurrency,
    bool ReportBatchItemFailures,
    bool Enabled,
    string State,
    DateTimeOffset? PausedAt,
    string EventSourceArn);
