using Nimbus.Core.Events;

namespace Nimbus.Server.Events;

/// <summary>One attempt's result as the queue processor needs it.</summary>
public sealed record AsyncAttemptResult(
    AsyncAttemptOutcome Outcome,
    string? ExecutedVersion = null,
    string? ErrorType = null,
    string? ErrorMessage = null,
    double DurationMs = 0,
    ReadOnlyMemory<byte> Response = default);
