namespace Nimbus.Core.Api;

/// <summary>One notification to one target, as <c>GET /api/v1/alarms/{name}/notifications</c> shows it:
/// <see cref="Status"/> is <c>pending</c> (waiting for its next attempt), <c>delivered</c> or <c>failed</c> (gave up).</summary>
public sealed record NotificationDelivery(
    long Id,
    string Alarm,
    string Target,
    string Event,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError);
