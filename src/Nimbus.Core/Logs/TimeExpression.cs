using System.Globalization;

namespace Nimbus.Core.Logs;

/// <summary>
/// Parses "how far back" expressions: <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or an ISO-8601 instant.
/// Never throws: a value that parses but lies outside what a time can represent (<c>10000000d</c> ago is before the
/// year 1) is refused like any other bad value, with an error that says so.
/// </summary>
public static class TimeExpression
{
    private static readonly double s_maxSeconds = TimeSpan.MaxValue.TotalSeconds;

    public static bool TryParseDuration(string text, out TimeSpan duration) => TryParseDuration(text, out duration, out _);

    /// <param name="error">When false: why, in words fit for a user (the value is not repeated).</param>
    public static bool TryParseDuration(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        if (text is null || text.Length < 2)
        {
            error = "is not a duration (30s, 10m, 2h, 1d)";
            return false;
        }

        double unitSeconds = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        if (unitSeconds == 0
            || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount < 0)
        {
            error = "is not a duration (30s, 10m, 2h, 1d)";
            return false;
        }

        var seconds = amount * unitSeconds;
        if (double.IsInfinity(seconds) || seconds >= s_maxSeconds)
        {
            error = "is out of range: the longest duration is about 10,675,000 days";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        error = null;
        return true;
    }

    /// <summary>An instant: <paramref name="now"/> minus a duration, or an absolute ISO-8601 time.</summary>
    public static bool TryParseInstant(string text, DateTimeOffset now, out DateTimeOffset instant) => TryParseInstant(text, now, out instant, out _);

    /// <param name="error">When false: why, in words fit for a user (the value is not repeated).</param>
    public static bool TryParseInstant(string? text, DateTimeOffset now, out DateTimeOffset instant, out string? error)
    {
        instant = default;
        if (TryParseDuration(text, out var ago, out error))
        {
            if (ago > now - DateTimeOffset.MinValue)
            {
                error = "is out of range: it reaches back before the year 1";
                return false;
            }

            instant = now - ago;
            return true;
        }

        if (error is not null && error.StartsWith("is out of range", StringComparison.Ordinal))
        {
            return false;
        }

        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            error = null;
            return true;
        }

        error = "is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time";
        return false;
    }
}
