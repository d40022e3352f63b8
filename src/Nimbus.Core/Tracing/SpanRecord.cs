using System.Text.Json.Serialization;

namespace Nimbus.Core.Tracing;

/// <summary>
/// One span of a trace, from the platform (an invocation and its phases) or from function code (received over OTLP).
/// Attribute values are strings, numbers or booleans, keyed by their OpenTelemetry names (<c>faas.*</c>).
/// </summary>
/// <param name="Kind">OpenTelemetry's span kind: <c>Server</c>, <c>Internal</c>, <c>Client</c>, <c>Producer</c>, <c>Consumer</c>.</param>
/// <param name="Origin"><c>platform</c> (Nimbus's own spans) or <c>function</c> (exported by function code).</param>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset Start,
    double DurationMs,
    string? FunctionName,
    string? RequestId,
    bool Error,
    string? StatusMessage,
    string Origin,
    IReadOnlyDictionary<string, object?> Attributes)
{
    public const string PlatformOrigin = "platform";
    public const string FunctionOrigin = "function";

    [JsonIgnore]
    public DateTimeOffset End => Start.AddMilliseconds(DurationMs);

    /// <summary>
    /// An invocation span's phases, folded: the store keeps them in the invocation's row, not as rows of their own
    /// (<see cref="PlatformSpans.Unfold"/> makes them spans again). Null for every other span.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<SpanPhase>? Phases { get; init; }
}

/// <summary>One phase of an invocation (waiting for an instance, init, execution), as its span would show it.</summary>
public sealed record SpanPhase(string Name, DateTimeOffset Start, double DurationMs, bool Error);
