using System.Text.Json.Serialization;

namespace Nimbus.Core.Logs;

/// <summary>One log line of a function, attributed to the invocation it belongs to where known.</summary>
/// <param name="Id">Store-assigned, increasing; 0 before it is stored.</param>
/// <param name="Level">TRACE, DEBUG, INFO, WARN, ERROR, FATAL; platform lines (START/END/REPORT) are INFO.</param>
/// <param name="Stream">stdout, stderr or platform.</param>
/// <param name="FieldsJson">Structured fields when the line was JSON, else null.</param>
public sealed record LogRecord(
    long Id,
    DateTimeOffset Time,
    string FunctionName,
    string Version,
    string? RequestId,
    string? TraceId,
    string Level,
    string Stream,
    string Message,
    string? FieldsJson)
{
    /// <summary>
    /// On the way to the store only: a marker for an invocation's START line, or for its END and REPORT lines (the
    /// message is then the REPORT line). The store folds a START, END and REPORT of one invocation into one row (see
    /// <see cref="LogFolding"/>); what it returns are plain lines.
    /// </summary>
    [JsonIgnore]
    public LogFrame Frame { get; init; }

    /// <summary>
    /// On the way to the store only: on an END marker, the values its REPORT line (the message) was built from. A copy
    /// made with another message keeps it, so it counts only while <see cref="InvocationReport.Line"/> is the message.
    /// </summary>
    [JsonIgnore]
    public Invocations.InvocationReport? Report { get; init; }
}
