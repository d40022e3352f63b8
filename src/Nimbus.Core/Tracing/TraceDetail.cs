namespace Nimbus.Core.Tracing;

/// <summary>One trace: every span stored for it, by start time.</summary>
public sealed record TraceDetail(string TraceId, IReadOnlyList<SpanRecord> Spans);
