namespace Nimbus.Core.Tracing;

/// <summary>One trace in a list: its first span's name, when it started, how long it took end to end, and whether any span failed.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    DateTimeOffset Start,
    double DurationMs,
    int SpanCount,
    bool Error,
    IReadOnlyList<string> Functions);
