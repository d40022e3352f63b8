namespace Nimbus.Core.Schedules;

/// <summary>
/// What to do with a schedule at one moment: the tick to deliver now (its scheduled time), if any, and the next
/// fire time to persist. <see cref="Missed"/> says the tick was late beyond <see cref="ScheduleTicks.OnTime"/>
/// (delivered as a catch-up under <see cref="MissedTickPolicy.Once"/>, dropped under <see cref="MissedTickPolicy.Skip"/>).
/// </summary>
public sealed record ScheduleTick(DateTimeOffset? Fire, DateTimeOffset? Next, bool Missed);
