namespace Nimbus.Core.Schedules;

/// <summary>
/// A cron schedule read in a time zone. Local times that a daylight-saving change skips do not fire; local times
/// that happen twice fire once, at their first instance: what EventBridge Scheduler documents.
/// </summary>
public sealed class CronExpression : ScheduleExpression
{
    /// <summary>The last year EventBridge accepts; also where a search for a date that never comes stops.</summary>
    public const int MaxYear = 2199;

    internal CronExpression(string text, CronDialect dialect, CronField minutes, CronField hours, CronDayOfMonth daysOfMonth, CronField months, CronDayOfWeek daysOfWeek, CronField years)
        : base(text)
    {
        Dialect = dialect;
        Minutes = minutes;
        Hours = hours;
        DaysOfMonth = daysOfMonth;
        Months = months;
        DaysOfWeek = daysOfWeek;
        Years = years;
    }

    public CronDialect Dialect { get; }

    public CronField Minutes { get; }

    public CronField Hours { get; }

    public CronDayOfMonth DaysOfMonth { get; }

    public CronField Months { get; }

    public CronDayOfWeek DaysOfWeek { get; }

    public CronField Years { get; }

    /// <inheritdoc />
    public override DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        // Start a day early: a zone whose clocks go back across midnight can repeat local times of the day before.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime).AddDays(-1);
        var afterUtc = after.ToUniversalTime();
        while (day.Year <= MaxYear)
        {
            if (!Years.Contains(day.Year))
            {
                if (day.Year > Years.Max)
                {
                    return null;
                }

                day = new DateOnly(day.Year + 1, 1, 1);
                continue;
            }

            if (!Months.Contains(day.Month))
            {
                day = new DateOnly(day.Year, day.Month, 1).AddMonths(1);
                continue;
            }

            if (MatchesDay(day) && FirstTimeOn(day, afterUtc, zone) is { } found)
            {
                return found;
            }

            day = day.AddDays(1);
        }

        return null;
    }

    private bool MatchesDay(DateOnly day)
    {
        if (Dialect == CronDialect.Standard && !DaysOfMonth.IsWildcard && !DaysOfWeek.IsWildcard)
        {
            return DaysOfMonth.Matches(day) || DaysOfWeek.Matches(day);
        }

        return DaysOfMonth.Matches(day) && DaysOfWeek.Matches(day);
    }

    private DateTimeOffset? FirstTimeOn(DateOnly day, DateTimeOffset afterUtc, TimeZoneInfo zone)
    {
        foreach (var hour in Hours.Values())
        {
            foreach (var minute in Minutes.Values())
            {
                var local = day.ToDateTime(new TimeOnly(hour, minute), DateTimeKind.Unspecified);
                if (zone.IsInvalidTime(local))
                {
                    continue;
                }

                var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
                var candidate = new DateTimeOffset(local, offset);
                if (candidate > afterUtc)
                {
                    return candidate.ToUniversalTime();
                }
            }
        }

        return null;
    }
}
