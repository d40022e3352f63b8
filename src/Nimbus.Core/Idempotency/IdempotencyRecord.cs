namespace Nimbus.Core.Idempotency;

/// <summary>One function's record for one key. Immutable snapshot of a row.</summary>
/// <param name="KeyHash">SHA-256 of the key (see <see cref="IdempotencyKeyExtractor.Hash"/>).</param>
/// <param name="RequestId">The invocation that claimed the record (and, when completed, produced the response).</param>
/// <param name="ExpiresAt">Completed: the end of the TTL. In progress: the end of the invocation's own time limit.</param>
/// <param name="Response">The stored response of a completed record.</param>
public sealed record IdempotencyRecord(
    string FunctionName,
    string KeyHash,
    IdempotencyState State,
    string RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    ReadOnlyMemory<byte> Response = default,
    string? ExecutedVersion = null);
