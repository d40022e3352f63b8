namespace Nimbus.Core.Schedules;

/// <summary>
/// The day-of-month field: a set of days, <c>L</c> (the last day), <c>LW</c> (the last weekday) or <c>nW</c> (the
/// weekday nearest day n, never leaving the month).
/// </summary>
public sealed class CronDayOfMonth
{
    private readonly CronField? _days;
    private readonly int _nearestWeekdayTo;
    private readonly bool _last;
    private readonly bool _lastWeekday;

    private CronDayOfMonth(CronField? days, bool last, bool lastWeekday, int nearestWeekdayTo)
    {
        _days = days;
        _last = last;
        _lastWeekday = lastWeekday;
        _nearestWeekdayTo = nearestWeekdayTo;
    }

    /// <summary>True for <c>*</c> or <c>?</c>.</summary>
    public bool IsWildcard => _days?.IsWildcard == true;

    internal static CronDayOfMonth Of(CronField days) => new(days, last: false, lastWeekday: false, nearestWeekdayTo: 0);

    internal static CronDayOfMonth Last() => new(null, last: true, lastWeekday: false, nearestWeekdayTo: 0);

    internal static CronDayOfMonth LastWeekday() => new(null, last: false, lastWeekday: true, nearestWeekdayTo: 0);

    internal static CronDayOfMonth NearestWeekday(int day) => new(null, last: false, lastWeekday: false, nearestWeekdayTo: day);

    public bool Matches(DateOnly date)
    {
        var daysInMonth = DateTime.DaysInMonth(date.Year, date.Month);
        if (_days is not null)
        {
            return _days.Contains(date.Day);
        }

        if (_last)
        {
            return date.Day == daysInMonth;
        }

        if (_lastWeekday)
        {
            return date.Day == NearestWeekday(date.Year, date.Month, daysInMonth, daysInMonth);
        }

        return _nearestWeekdayTo <= daysInMonth && date.Day == NearestWeekday(date.Year, date.Month, _nearestWeekdayTo, daysInMonth);
    }

    private static int NearestWeekday(int year, int month, int day, int daysInMonth)
    {
        var dayOfWeek = new DateOnly(year, month, day).DayOfWeek;
        return dayOfWeek switch
        {
            DayOfWeek.Saturday => day == 1 ? 3 : day - 1,
            DayOfWeek.Sunday => day == daysInMonth ? day - 2 : day + 1,
            _ => day,
        };
    }
}
