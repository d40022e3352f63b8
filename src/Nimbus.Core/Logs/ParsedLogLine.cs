namespace Nimbus.Core.Logs;

/// <summary>What one line of a worker's output says about itself.</summary>
/// <param name="Level">One of <see cref="LogLevels"/>; INFO for lines that carry no level.</param>
/// <param name="RequestId">The request the line names, when it names one; otherwise the platform attributes it.</param>
/// <param name="Message">The human-readable text; multi-line messages have '\n' between their lines.</param>
/// <param name="FieldsJson">For a JSON line, a JSON object of its other keys; null when there are none or the line is text.</param>
/// <param name="Time">The time the line states, when it states one.</param>
public readonly record struct ParsedLogLine(string Level, string? RequestId, string Message, string? FieldsJson, DateTimeOffset? Time);
