namespace Nimbus.Core.Api;

/// <summary>An alarm's runbook: <see cref="Url"/> when the alarm links its own, else <see cref="Markdown"/> (the alarm's
/// own text, or the one generated from the function's live configuration when <see cref="Generated"/>).</summary>
public sealed record RunbookInfo(string Alarm, string? Url, string? Markdown, bool Generated);
