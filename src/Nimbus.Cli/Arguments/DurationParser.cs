using System.Globalization;
using System.Xml;

namespace Nimbus.Cli.Arguments;

/// <summary>
/// Reads durations as people type them (<c>500ms</c>, <c>300s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>1.5h</c>) or as
/// ISO-8601 durations (<c>PT5M</c>), and points in time for <c>--since</c> (a duration ago, or an ISO-8601 timestamp).
/// </summary>
public static class DurationParser
{
    private static readonly (string Suffix, double Milliseconds)[] s_units =
    [
        ("ms", 1),
        ("s", 1000),
        ("m", 60_000),
        ("h", 3_600_000),
        ("d", 86_400_000),
        ("w", 7 * 86_400_000.0),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (text[0] is 'P' or 'p')
        {
            return TryParseIso(text.ToUpperInvariant(), out duration);
        }

        // "ms" must be tried before "m" and "s".
        foreach (var (suffix, milliseconds) in s_units)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var number = text[..^suffix.Length];
            if (number.Length == 0 || !char.IsAsciiDigit(number[^1]) ||
                !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            // TimeSpan holds about 29,000 years; anything longer (or not finite) is not a duration anyone meant.
            var total = value * milliseconds;
            if (!double.IsFinite(total) || total >= TimeSpan.MaxValue.TotalMilliseconds)
            {
                return false;
            }

            duration = TimeSpan.FromMilliseconds(total);
            return true;
        }

        return false;
    }

    /// <summary>A start time for a log query: a duration before <paramref name="now"/>, or an absolute ISO-8601 time (UTC unless it says otherwise).</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since) =>
        TryParseSince(text, now, out since, out _);

    /// <param name="error">Why the text was refused: not a time at all, or a duration reaching back before year 1.</param>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        since = default;
        error = "expected a duration ago (10m, 2h, 1d) or an ISO-8601 time";
        if (TryParse(text, out var ago))
        {
            // DateTimeOffset starts at year 1; subtracting more than that throws instead of saturating.
            if (ago > now - DateTimeOffset.MinValue)
            {
                error = $"{text.Trim()} before now would be before the year 1; give a shorter duration or an ISO-8601 time";
                return false;
            }

            since = now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(
            text.Trim(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out since);
    }

    private static bool TryParseIso(string text, out TimeSpan duration)
    {
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            duration = default;
            return false;
        }
        catch (OverflowException)
        {
            duration = default;
            return false;
        }
    }
}
