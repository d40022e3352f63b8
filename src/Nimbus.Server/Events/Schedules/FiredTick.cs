namespace Nimbus.Server.Events.Schedules;

/// <summary>One tick claimed by this node: the schedule, the tick's scheduled time, and the queued event's request id (null when refused).</summary>
public sealed record FiredTick(string ScheduleId, DateTimeOffset Time, bool CatchUp, string? RequestId);
