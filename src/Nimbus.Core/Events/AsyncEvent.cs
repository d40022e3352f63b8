namespace Nimbus.Core.Events;

/// <summary>An accepted async event as the queue holds it. Immutable snapshot of one row.</summary>
/// <param name="Id">The event's id; the request id of its first acceptance, a fresh one after a redrive.</param>
/// <param name="RequestId">The request id every attempt uses (kept across retries and redrives: the lineage).</param>
/// <param name="FailedAttempts">Attempts that failed (retries used); postponements do not count.</param>
/// <param name="Postponements">Times the event waited because of a throttle or a stopping platform.</param>
/// <param name="History">Every attempt so far, oldest first.</param>
/// <param name="HeaderKey">The <c>header:NAME</c> idempotency key kept at acceptance (see <see cref="EventHeaderKey"/>).</param>
public sealed record AsyncEvent(
    string Id,
    string FunctionName,
    string? Qualifier,
    ReadOnlyMemory<byte> Payload,
    string RequestId,
    string? TraceParent,
    DateTimeOffset EnqueuedAt,
    int FailedAttempts,
    int Postponements,
    DateTimeOffset NextVisibleAt,
    AsyncEventState State,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    IReadOnlyList<AsyncAttempt> History,
    int Redrives,
    EventHeaderKey? HeaderKey = null);
