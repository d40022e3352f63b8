namespace Nimbus.Core.Alarms;

/// <summary>
/// What a notification says (every channel renders the same facts): which alarm moved where and why (the reason names
/// the datapoints), what it means, the runbook, the function's recent errors and the changes made to it in the hour
/// before. <see cref="Event"/> is <c>alarm.transition</c> or <c>alarm.test</c> (<c>nimbus alarms test</c>).
/// </summary>
public sealed record AlarmNotification(
    string Event,
    string Alarm,
    string Function,
    string OldState,
    string NewState,
    string Reason,
    string? Description,
    DateTimeOffset Timestamp,
    string Runbook,
    IReadOnlyList<NotificationError> RecentErrors,
    IReadOnlyList<NotificationChange> RecentChanges)
{
    public const string TransitionEvent = "alarm.transition";
    public const string TestEvent = "alarm.test";
}

/// <summary>An error group of the function, as a notification lists it.</summary>
public sealed record NotificationError(string ErrorType, string Message, long Count, DateTimeOffset LastSeen);

/// <summary>A change from the function's timeline, as a notification lists it.</summary>
public sealed record NotificationChange(DateTimeOffset Timestamp, string Kind, string Summary);
