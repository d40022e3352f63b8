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

    /// <summary>The invocation's span (16 hex digits); its trace is <see cref="TraceId"/>. Not stored with the record: the spans are.</summary>
    [JsonIgnore]
    public string? SpanId { get; init; }

    /// <summary>The caller's span, when the call continued a trace.</summary>
    [JsonIgnore]
    public string? ParentSpanId { get; init; }

    /// <summary>Function-to-function hops before this invocation (0 for a call from outside).</summary>
    [JsonIgnore]
    public int Hops { get; init; }

    /// <summary>Time from entering the front door to its answer, in ms: queue wait, cold start and execution.</summary>
    [JsonIgnore]
    public double TotalMs { get; init; }
}
