using System.Diagnostics.CodeAnalysis;

namespace Nimbus.Core.Schedules;

/// <summary>
/// A parsed schedule: EventBridge <c>rate(5 minutes)</c>, EventBridge six-field <c>cron(0 12 * * ? *)</c>, or a
/// standard five-field cron line (<c>0 12 * * *</c>).
/// </summary>
public abstract class ScheduleExpression
{
    private protected ScheduleExpression(string text) => Text = text;

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, or null when there is none (a cron whose years
    /// have passed, or a date that never exists such as 30 February). <paramref name="anchor"/> is a known
    /// occurrence (for a rate, the grid its ticks keep); cron ignores it. <paramref name="zone"/> is where cron
    /// fields are read; a rate is a fixed duration and ignores it, as EventBridge Scheduler does.
    /// </summary>
    public abstract DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset anchor, TimeZoneInfo zone);

    public static ScheduleExpression Parse(string text) =>
        TryParse(text, out var expression, out var error) ? expression : throw new FormatException(error);

    /// <summary>Parses an expression; on failure <paramref name="error"/> starts with the expression and says what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ScheduleExpression? expression, [NotNullWhen(false)] out string? error)
    {
        expression = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "a schedule expression is required: rate(5 minutes), cron(0 12 * * ? *) or a five-field cron line";
            return false;
        }

        if (trimmed.StartsWith("rate(", StringComparison.Ordinal))
        {
            var ok = RateExpression.TryParse(trimmed, out var rate, out error);
            expression = rate;
            return ok;
        }

        if (trimmed.StartsWith("cron(", StringComparison.Ordinal))
        {
            if (!trimmed.EndsWith(')'))
            {
                error = $"{trimmed}: missing the closing ')'";
                return false;
            }

            var ok = CronParser.TryParse(trimmed, trimmed[5..^1], CronDialect.EventBridge, out var cron, out error);
            expression = cron;
            return ok;
        }

        if (trimmed.StartsWith("at(", StringComparison.Ordinal))
        {
            error = $"{trimmed}: one-time at() schedules are not supported; use rate() or cron()";
            return false;
        }

        var okStandard = CronParser.TryParse(trimmed, trimmed, CronDialect.Standard, out var standard, out error);
        expression = standard;
        return okStandard;
    }
}
