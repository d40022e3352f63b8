using System.Text.Json.Serialization;

namespace Nimbus.Core.Invocations;

/// <summary>What the platform remembers of one finished invocation.</summary>
/// <param name="MemorySizeMb">The configured memory (for GB-seconds); 0 when unknown.</param>
/// <param name="ErrorBody">Lambda's error JSON of a function error (errorType, errorMessage, stackTrace), for error
/// grouping; it references the buffer the worker's answer was read into (no copy on the invoke path).</param>
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
    string? TraceId,
    [property: JsonIgnore] int MemorySizeMb = 0,
    [property: JsonIgnore] ReadOnlyMemory<byte> ErrorBody = default);
