namespace Nimbus.Core.Alarms;

/// <summary>
/// What a notification says (every channel renders the same facts): which alarm moved where and why (the reason names
/// the datapoints), what it means, the runbook, the function's recent errors and the changes made to it in the hour
/// before. <see cref="Event"/> is <c>alarm.transition</c>, <c>alarm.test</c> (<c>nimbus alarms test</c>) or
/// <c>deployment.rolledBack</c> (a watched alarm rolled a deployment back; <see cref="Deployment"/> says which).
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
    public const string DeploymentRolledBackEvent = "deployment.rolledBack";

    /// <summary>The deployment the alarm rolled back, for <see cref="DeploymentRolledBackEvent"/>; null otherwise.</summary>
    public NotificationDeployment? Deployment { get; init; }
}

/// <summary>A deployment rolled back by an alarm, as a notification names it.</summary>
public sealed record NotificationDeployment(string Id, string Alias, int FromVersion, int ToVersion, string Strategy);

/// <summary>An error group of the function, as a notification lists it.</summary>
public sealed record NotificationError(string ErrorType, string Message, long Count, DateTimeOffset LastSeen);

/// <summary>A change from the function's timeline, as a notification lists it.</summary>
public sealed record NotificationChange(DateTimeOffset Timestamp, string Kind, string Summary);
