using Nimbus.Core.Invocations;

namespace Nimbus.Core.Idempotency;

/// <summary>
/// The rules of built-in idempotency as pure functions of a record, an outcome and the time.
/// </summary>
/// <remarks>
/// An in-progress record is not kept for the TTL (the trap Powertools users hit, where a crashed invocation blocks its
/// key for an hour): it lasts only as long as its invocation can (the function's timeout plus the init limit plus a
/// margin), and it is dropped the moment the invocation ends in anything but success, so a retry may run at once.
/// Only a success is stored as a result.
/// </remarks>
public static class IdempotencyPolicy
{
    /// <summary>Added to an invocation's timeout and init limit to get how long its in-progress record lasts.</summary>
    public static readonly TimeSpan InProgressMargin = TimeSpan.FromSeconds(30);

    public static IdempotencyDecision Decide(IdempotencyRecord? record, DateTimeOffset now)
    {
        if (record is null || now >= record.ExpiresAt)
        {
            return IdempotencyDecision.Run;
        }

        return record.State == IdempotencyState.Completed ? IdempotencyDecision.ReturnStored : IdempotencyDecision.Conflict;
    }

    /// <summary>The in-progress record claimed for an invocation starting at <paramref name="now"/>.</summary>
    public static IdempotencyRecord Claim(string functionName, string keyHash, string requestId, DateTimeOffset now, TimeSpan invocationLimit) =>
        new(functionName, keyHash, IdempotencyState.InProgress, requestId, now, now + invocationLimit + InProgressMargin);

    /// <summary>
    /// The record after the invocation that claimed it ended: completed with its response for a success, else none
    /// (function errors, timeouts, crashes, out of memory and throttles leave nothing behind).
    /// </summary>
    public static IdempotencyRecord? Finish(IdempotencyRecord claimed, InvocationOutcome outcome, ReadOnlyMemory<byte> response, string? executedVersion,
        TimeSpan ttl, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return outcome == InvocationOutcome.Success
            ? claimed with { State = IdempotencyState.Completed, ExpiresAt = now + ttl, Response = response, ExecutedVersion = executedVersion }
            : null;
    }
}
