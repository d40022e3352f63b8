namespace Nimbus.Core.Logs;

/// <summary>
/// Whether one line matches a <see cref="LogQuery"/>, with the store's rules: request and trace id exact, <c>Since</c>
/// inclusive and <c>Until</c> exclusive (at millisecond precision, as stored), level exact but case-insensitive, text a
/// substring of the message or of the fields, case-insensitive for ASCII letters only (SQLite's <c>LIKE</c>).
/// The store filters rows in SQL; this decides for the lines a folded row expands into.
/// </summary>
public static class LogLineFilter
{
    public static bool Matches(LogQuery query, LogRecord line)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(line);
        var ms = line.Time.ToUnixTimeMilliseconds();
        return (query.RequestId is null || string.Equals(query.RequestId, line.RequestId, StringComparison.Ordinal))
            && (query.TraceId is null || string.Equals(query.TraceId, line.TraceId, StringComparison.Ordinal))
            && (query.Since is not { } since || ms >= since.ToUnixTimeMilliseconds())
            && (query.Until is not { } until || ms < until.ToUnixTimeMilliseconds())
            && (string.IsNullOrEmpty(query.Level) || AsciiEqualsIgnoreCase(query.Level, line.Level))
            && (string.IsNullOrEmpty(query.Text) || ContainsAscii(line.Message, query.Text) || (line.FieldsJson is { } fields && ContainsAscii(fields, query.Text)));
    }

    private static bool AsciiEqualsIgnoreCase(string a, string b) => a.Length == b.Length && ContainsAscii(a, b);

    private static bool ContainsAscii(string text, string part)
    {
        for (var start = 0; start + part.Length <= text.Length; start++)
        {
            var i = 0;
            while (i < part.Length && Fold(text[start + i]) == Fold(part[i]))
            {
                i++;
            }

            if (i == part.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
