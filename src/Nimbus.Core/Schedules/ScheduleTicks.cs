namespace Nimbus.Core.Schedules;

/// <summary>
/// The pure decisions of a schedule: its first fire time, and, given the persisted next fire time and the clock,
/// what to fire and what to persist next. The caller claims a tick by storing <see cref="ScheduleTick.Next"/> in
/// place of the fire time it read, in the same transaction that enqueues the event.
/// </summary>
public static class ScheduleTicks
{
    /// <summary>
    /// How late a tick may be claimed and still count as on time: EventBridge Scheduler's own precision. Later than
    /// this, the tick was missed (Nimbus was down or stopped) and the missed-tick policy decides.
    /// </summary>
    public static readonly TimeSpan OnTime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The first fire time of a schedule created (or changed) at <paramref name="since"/>: a rate's first tick is one
    /// interval later, a cron's the first matching minute after it.
    /// </summary>
    public static DateTimeOffset? First(ScheduleExpression expression, TimeZoneInfo zone, DateTimeOffset since) =>
        expression.NextAfter(since, since, zone);

    /// <summary>
    /// Decides at <paramref name="now"/> for a schedule whose persisted next fire time is <paramref name="due"/>.
    /// Not yet due: nothing fires. Due within <see cref="OnTime"/>: that tick fires. Later: under
    /// <see cref="MissedTickPolicy.Once"/> one catch-up tick fires carrying the first missed time, under
    /// <see cref="MissedTickPolicy.Skip"/> nothing fires. Either way the next fire time is the first occurrence
    /// after now, so missed ticks never come as a burst; a rate keeps its grid.
    /// </summary>
    public static ScheduleTick Decide(ScheduleExpression expression, TimeZoneInfo zone, DateTimeOffset due, DateTimeOffset now, MissedTickPolicy missed)
    {
        if (due > now)
        {
            return new ScheduleTick(null, due, Missed: false);
        }

        var next = expression.NextAfter(now, due, zone);
        var late = now - due > OnTime;
        if (late && missed == MissedTickPolicy.Skip)
        {
            return new ScheduleTick(null, next, Missed: true);
        }

        return new ScheduleTick(due, next, late);
    }
}
