using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Nimbus.Core.Schedules;

/// <summary>
/// Reads cron fields: lists (<c>,</c>), ranges (<c>-</c>), steps (<c>/</c>), <c>*</c>, <c>?</c> in a day field,
/// month and day names (JAN, MON), <c>L</c> and <c>W</c> in day-of-month, <c>L</c> and <c>#</c> in day-of-week.
/// Every error names the expression, the field, the allowed values and what was found.
/// </summary>
internal static class CronParser
{
    private static readonly string[] s_monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] s_dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static bool TryParse(string text, string body, CronDialect dialect, [NotNullWhen(true)] out CronExpression? cron, [NotNullWhen(false)] out string? error)
    {
        cron = null;
        var fields = body.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var expected = dialect == CronDialect.EventBridge ? 6 : 5;
        if (fields.Length != expected)
        {
            error = dialect == CronDialect.EventBridge
                ? $"{text}: expected 6 fields (minutes hours day-of-month month day-of-week year), got {fields.Length}"
                : $"{text}: expected rate(...), cron(...) or 5 fields (minute hour day-of-month month day-of-week), got {fields.Length} field{(fields.Length == 1 ? "" : "s")}";
            return false;
        }

        var dowLabel = dialect == CronDialect.EventBridge ? "1-7 or SUN-SAT" : "0-7 or SUN-SAT";
        var dowMin = dialect == CronDialect.EventBridge ? 1 : 0;
        var dowMax = 7;
        if (!TryParseSet(text, fields[0], new FieldSpec("minutes", 0, 59, "0-59", null, 0), out var minutes, out error)
            || !TryParseSet(text, fields[1], new FieldSpec("hours", 0, 23, "0-23", null, 0), out var hours, out error)
            || !TryParseDayOfMonth(text, fields[2], out var daysOfMonth, out error)
            || !TryParseSet(text, fields[3], new FieldSpec("month", 1, 12, "1-12 or JAN-DEC", s_monthNames, 1), out var months, out error)
            || !TryParseDayOfWeek(text, fields[4], new FieldSpec("day-of-week", dowMin, dowMax, dowLabel, s_dayNames, dowMin), dialect, out var daysOfWeek, out error))
        {
            return false;
        }

        var years = CronField.All(1970, CronExpression.MaxYear);
        if (dialect == CronDialect.EventBridge)
        {
            if (!TryParseSet(text, fields[5], new FieldSpec("year", 1970, CronExpression.MaxYear, "1970-2199", null, 0), out years, out error))
            {
                return false;
            }

            var domQuestion = fields[2] == "?";
            var dowQuestion = fields[4] == "?";
            if (domQuestion == dowQuestion)
            {
                error = domQuestion
                    ? $"{text}: only one of day-of-month and day-of-week may be ?"
                    : $"{text}: one of day-of-month and day-of-week must be ? (day-of-month is '{fields[2]}', day-of-week is '{fields[4]}')";
                return false;
            }
        }

        cron = new CronExpression(text, dialect, minutes, hours, daysOfMonth, months, daysOfWeek, years);
        return true;
    }

    private static bool TryParseDayOfMonth(string text, string field, [NotNullWhen(true)] out CronDayOfMonth? days, [NotNullWhen(false)] out string? error)
    {
        days = null;
        error = null;
        switch (field.ToUpperInvariant())
        {
            case "?":
                days = CronDayOfMonth.Of(CronField.All(1, 31));
                return true;
            case "L":
                days = CronDayOfMonth.Last();
                return true;
            case "LW":
                days = CronDayOfMonth.LastWeekday();
                return true;
        }

        if (field.EndsWith('W') || field.EndsWith('w'))
        {
            if (!int.TryParse(field[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day < 1 || day > 31)
            {
                error = $"{text}: day-of-month W needs one day 1-31 before it (as in 15W), got '{field}'";
                return false;
            }

            days = CronDayOfMonth.NearestWeekday(day);
            return true;
        }

        if (!TryParseSet(text, field, new FieldSpec("day-of-month", 1, 31, "1-31", null, 0), out var set, out error))
        {
            return false;
        }

        days = CronDayOfMonth.Of(set);
        return true;
    }

    private static bool TryParseDayOfWeek(string text, string field, FieldSpec spec, CronDialect dialect, [NotNullWhen(true)] out CronDayOfWeek? days, [NotNullWhen(false)] out string? error)
    {
        days = null;
        if (field == "?")
        {
            days = CronDayOfWeek.Of(CronField.All(0, 6));
            error = null;
            return true;
        }

        if (field.Equals("L", StringComparison.OrdinalIgnoreCase))
        {
            // L alone is the last day of the week: Saturday.
            days = CronDayOfWeek.Of(new CronField(0, 6, [false, false, false, false, false, false, true], isWildcard: false));
            error = null;
            return true;
        }

        var hash = field.IndexOf('#');
        if (hash >= 0)
        {
            var nthText = field[(hash + 1)..];
            if (!TryValue(field[..hash], spec, out var day) || !int.TryParse(nthText, NumberStyles.None, CultureInfo.InvariantCulture, out var nth) || nth < 1 || nth > 5)
            {
                error = $"{text}: day-of-week # needs a day {spec.Label} and an occurrence 1-5 (as in 2#1, the first Monday), got '{field}'";
                return false;
            }

            days = CronDayOfWeek.Nth(ToDayOfWeek(day, dialect), nth);
            error = null;
            return true;
        }

        if (field.Length > 1 && (field.EndsWith('L') || field.EndsWith('l')))
        {
            if (!TryValue(field[..^1], spec, out var day))
            {
                error = $"{text}: day-of-week L needs one day {spec.Label} before it (as in 6L, the last Friday), got '{field}'";
                return false;
            }

            days = CronDayOfWeek.LastOf(ToDayOfWeek(day, dialect));
            error = null;
            return true;
        }

        if (!TryParseSet(text, field, spec, out var set, out error))
        {
            return false;
        }

        var allowed = new bool[7];
        foreach (var value in set.Values())
        {
            allowed[(int)ToDayOfWeek(value, dialect)] = true;
        }

        days = CronDayOfWeek.Of(new CronField(0, 6, allowed, set.IsWildcard));
        return true;
    }

    private static DayOfWeek ToDayOfWeek(int value, CronDialect dialect) =>
        (DayOfWeek)(dialect == CronDialect.EventBridge ? value - 1 : value % 7);

    private static bool TryParseSet(string text, string field, FieldSpec spec, [NotNullWhen(true)] out CronField? set, [NotNullWhen(false)] out string? error)
    {
        set = null;
        if (field == "?")
        {
            error = $"{text}: ? is only allowed in day-of-month or day-of-week, not in {spec.Name}";
            return false;
        }

        if (field == "*")
        {
            set = CronField.All(spec.Min, spec.Max);
            error = null;
            return true;
        }

        var allowed = new bool[spec.Max - spec.Min + 1];
        foreach (var item in field.Split(','))
        {
            if (!TryParseItem(text, item, spec, allowed, out error))
            {
                return false;
            }
        }

        set = new CronField(spec.Min, spec.Max, allowed, isWildcard: false);
        error = null;
        return true;
    }

    private static bool TryParseItem(string text, string item, FieldSpec spec, bool[] allowed, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (item.Length == 0)
        {
            error = $"{text}: {spec.Name} has an empty item in its list";
            return false;
        }

        var step = 1;
        var range = item;
        var slash = item.IndexOf('/');
        if (slash >= 0)
        {
            range = item[..slash];
            if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
            {
                error = $"{text}: {spec.Name} step must be a positive whole number, got '{item[(slash + 1)..]}'";
                return false;
            }
        }

        int from;
        int to;
        if (range == "*")
        {
            (from, to) = (spec.Min, spec.Max);
        }
        else
        {
            var dash = range.IndexOf('-', 1 < range.Length ? 1 : 0);
            var fromText = dash > 0 ? range[..dash] : range;
            if (!TryValue(fromText, spec, out from))
            {
                error = OutOfRange(text, spec, fromText);
                return false;
            }

            to = slash >= 0 ? spec.Max : from;
            if (dash > 0)
            {
                var toText = range[(dash + 1)..];
                if (!TryValue(toText, spec, out to))
                {
                    error = OutOfRange(text, spec, toText);
                    return false;
                }

                if (to < from)
                {
                    error = $"{text}: {spec.Name} range {range} goes backwards; write it as two ranges";
                    return false;
                }
            }
        }

        for (var value = from; value <= to; value += step)
        {
            allowed[value - spec.Min] = true;
        }

        return true;
    }

    private static bool TryValue(string token, FieldSpec spec, out int value)
    {
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value >= spec.Min && value <= spec.Max;
        }

        if (spec.Names is not null)
        {
            var index = Array.FindIndex(spec.Names, n => n.Equals(token, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + spec.FirstNameValue;
                return true;
            }
        }

        return false;
    }

    private static string OutOfRange(string text, FieldSpec spec, string token) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? $"{text}: {spec.Name} must be {spec.Label}, got {number}"
            : $"{text}: {spec.Name} must be {spec.Label}, got '{token}'";

    private sealed record FieldSpec(string Name, int Min, int Max, string Label, string[]? Names, int FirstNameValue);
}
