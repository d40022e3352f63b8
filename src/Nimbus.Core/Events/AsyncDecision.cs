namespace Nimbus.Core.Events;

/// <summary>What to do with an event after an attempt.</summary>
/// <param name="Trigger">Succeed, ScheduleRetry, Postpone or DeadLetter.</param>
/// <param name="VisibleAt">For ScheduleRetry and Postpone: when the event is due again.</param>
/// <param name="Condition">For Succeed and DeadLetter: the invocation record's condition.</param>
public sealed record AsyncDecision(AsyncEventTrigger Trigger, DateTimeOffset? VisibleAt, string? Condition)
{
    public static AsyncDecision Succeed { get; } = new(AsyncEventTrigger.Succeed, null, AsyncConditions.Success);

    public static AsyncDecision DeadLetter(string condition) => new(AsyncEventTrigger.DeadLetter, null, condition);

    public static AsyncDecision Retry(DateTimeOffset visibleAt) => new(AsyncEventTrigger.ScheduleRetry, visibleAt, null);

    public static AsyncDecision Postpone(DateTimeOffset visibleAt) => new(AsyncEventTrigger.Postpone, visibleAt, null);
}
