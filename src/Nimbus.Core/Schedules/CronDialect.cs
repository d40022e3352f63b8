namespace Nimbus.Core.Schedules;

/// <summary>Which cron syntax a line is read as.</summary>
public enum CronDialect
{
    /// <summary>EventBridge's six fields inside <c>cron(...)</c>: minutes hours day-of-month month day-of-week (1-7 = SUN-SAT) year; one day field is <c>?</c>.</summary>
    EventBridge,

    /// <summary>Five fields: minute hour day-of-month month day-of-week (0-7, 0 and 7 = Sunday); both day fields restricted means either matches.</summary>
    Standard,
}
