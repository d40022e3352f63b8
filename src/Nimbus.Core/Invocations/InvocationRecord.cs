namespace Nimbus.Core.Invocations;

/// <summary>What the platform remembers of one finished invocation.</summary>
public sealed record InvocationRecord(
    string RequestId,
    string FunctionName,
    string Version,
    string? Alias,
    DateTimeOffset StartedAt,
    double DurationMs,
    double? InitDurationMs,
    bool ColdStart,
    InvocationOutcome Outcome,
    string? ErrorType,
    long MaxMemoryUsedMb,
    string? TraceId);
