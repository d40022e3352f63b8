namespace Nimbus.Core.Events;

/// <summary>One webhook POST of an invocation record and every attempt at it. Immutable snapshot of a row.</summary>
/// <param name="State">Pending (waiting for its next attempt), Sending, Delivered or Failed.</param>
/// <param name="RequestId">The request id of the event the record describes.</param>
public sealed record WebhookDelivery(
    string Id,
    string FunctionName,
    string RequestId,
    string Url,
    string Condition,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    IReadOnlyList<WebhookAttempt> Attempts)
{
    public const string Pending = "Pending";
    public const string Sending = "Sending";
    public const string Delivered = "Delivered";
    public const string Failed = "Failed";
}

/// <summary>One POST: when, the HTTP status (null when there was no answer), the error when there was none, how long.</summary>
public sealed record WebhookAttempt(int Number, DateTimeOffset StartedAt, int? StatusCode, string? Error, double DurationMs);
