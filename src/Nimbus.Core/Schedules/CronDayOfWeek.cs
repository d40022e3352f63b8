namespace Nimbus.Core.Schedules;

/// <summary>
/// The day-of-week field, held as .NET day numbers (0 = Sunday): a set of days, <c>nL</c> (the last such day of the
/// month) or <c>n#k</c> (the k-th such day of the month).
/// </summary>
public sealed class CronDayOfWeek
{
    private readonly CronField? _days;
    private readonly DayOfWeek _day;
    private readonly int _nth;

    private CronDayOfWeek(CronField? days, DayOfWeek day, int nth)
    {
        _days = days;
        _day = day;
        _nth = nth;
    }

    /// <summary>True for <c>*</c> or <c>?</c>.</summary>
    public bool IsWildcard => _days?.IsWildcard == true;

    internal static CronDayOfWeek Of(CronField days) => new(days, DayOfWeek.Sunday, 0);

    /// <summary>The last <paramref name="day"/> of the month (<c>6L</c> in EventBridge numbering is the last Friday).</summary>
    internal static CronDayOfWeek LastOf(DayOfWeek day) => new(null, day, -1);

    internal static CronDayOfWeek Nth(DayOfWeek day, int nth) => new(null, day, nth);

    public bool Matches(DateOnly date)
    {
        if (_days is not null)
        {
            return _days.Contains((int)date.DayOfWeek);
        }

        if (date.DayOfWeek != _day)
        {
            return false;
        }

        return _nth < 0
            ? date.Day + 7 > DateTime.DaysInMonth(date.Year, date.Month)
            : (date.Day - 1) / 7 == _nth - 1;
    }
}
