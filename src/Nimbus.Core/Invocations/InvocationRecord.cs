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
    [property: JsonIgnore] ReadOnlyMemory<byte> ErrorBody = default)
{
    /// <summary>
    /// How the invocation started: <c>Api</c>, <c>LambdaApi</c>, <c>HttpRoute</c>, <c>Async</c>, ... (the server's
    /// <c>InvocationSource</c> names). Null for records read from a store that does not keep it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }
}
