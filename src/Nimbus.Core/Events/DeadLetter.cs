namespace Nimbus.Core.Events;

/// <summary>An event that reached the failure path, with everything needed to understand and replay it.</summary>
/// <param name="Id">The dead letter's id (the event's id).</param>
/// <param name="RequestId">The original request id; a redrive keeps it.</param>
/// <param name="Condition">RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency ...</param>
/// <param name="ErrorMessage">The last attempt's error message, first 1 KB.</param>
public sealed record DeadLetter(
    string Id,
    string FunctionName,
    string? Qualifier,
    ReadOnlyMemory<byte> Payload,
    string RequestId,
    string? TraceParent,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DeadLetteredAt,
    string Condition,
    string? ErrorType,
    string? ErrorMessage,
    IReadOnlyList<AsyncAttempt> Attempts,
    int Redrives)
{
    /// <summary>The trace id (32 hex) from the traceparent, when there is one.</summary>
    public string? TraceId => Tracing.TraceContext.TryParse(Tracing.QueuedTrace.Decode(TraceParent).TraceParent, out var traceId, out _, out _) ? traceId : null;
}
