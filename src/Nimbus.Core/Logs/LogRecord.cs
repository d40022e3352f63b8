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
    string? FieldsJson);
