using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Nimbus.Core.Schedules;

/// <summary>
/// <c>rate(value unit)</c>: a tick every fixed duration. A value of 1 takes the singular unit (<c>rate(1 hour)</c>),
/// a larger value the plural (<c>rate(5 minutes)</c>), as EventBridge requires.
/// </summary>
public sealed class RateExpression : ScheduleExpression
{
    private RateExpression(string text, int value, string unit, TimeSpan interval)
        : base(text)
    {
        Value = value;
        Unit = unit;
        Interval = interval;
    }

    public int Value { get; }

    /// <summary>The unit as written: minute, minutes, hour, hours, day or days.</summary>
    public string Unit { get; }

    public TimeSpan Interval { get; }

    /// <inheritdoc />
    public override DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        if (anchor > after)
        {
            return anchor;
        }

        var steps = ((after - anchor).Ticks / Interval.Ticks) + 1;
        return anchor + TimeSpan.FromTicks(steps * Interval.Ticks);
    }

    internal static bool TryParse(string text, [NotNullWhen(true)] out RateExpression? rate, [NotNullWhen(false)] out string? error)
    {
        rate = null;
        if (!text.EndsWith(')'))
        {
            error = $"{text}: missing the closing ')'";
            return false;
        }

        var parts = text[5..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            error = $"{text}: expected a value and a unit, as in rate(5 minutes)";
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            error = $"{text}: the value must be a positive whole number, got '{parts[0]}'";
            return false;
        }

        var unit = parts[1];
        var (singular, length) = unit switch
        {
            "minute" or "minutes" => ("minute", TimeSpan.FromMinutes(1)),
            "hour" or "hours" => ("hour", TimeSpan.FromHours(1)),
            "day" or "days" => ("day", TimeSpan.FromDays(1)),
            _ => ("", TimeSpan.Zero),
        };
        if (length == TimeSpan.Zero)
        {
            error = $"{text}: the unit must be minute(s), hour(s) or day(s), got '{unit}'";
            return false;
        }

        if (value == 1 && unit != singular)
        {
            error = $"{text}: a value of 1 takes the singular unit '{singular}'";
            return false;
        }

        if (value > 1 && unit == singular)
        {
            error = $"{text}: a value above 1 takes the plural unit '{singular}s'";
            return false;
        }

        if (length.TotalDays * value > 3650)
        {
            error = $"{text}: the interval must be at most 10 years";
            return false;
        }

        rate = new RateExpression(text, value, unit, length * value);
        error = null;
        return true;
    }
}
