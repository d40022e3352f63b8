namespace Nimbus.Core.Alarms;

/// <summary>
/// Which transitions notify. An alarm notifies when it arrives in a state of its <c>notifyOn</c> list (default ALARM
/// and OK), except that OK after INSUFFICIENT_DATA — a new alarm settling, or data returning — is not news unless
/// INSUFFICIENT_DATA is in the list too. A muted alarm notifies nothing until its mute ends. Pure.
/// </summary>
public static class NotificationPolicy
{
    public static readonly IReadOnlyList<AlarmState> DefaultNotifyOn = [AlarmState.Alarm, AlarmState.Ok];

    public static bool ShouldNotify(AlarmTransition transition, IReadOnlyList<AlarmState> notifyOn, DateTimeOffset? mutedUntil)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(notifyOn);
        if (mutedUntil is { } until && transition.Timestamp < until)
        {
            return false;
        }

        if (!notifyOn.Contains(transition.NewState))
        {
            return false;
        }

        return !(transition is { OldState: AlarmState.InsufficientData, NewState: AlarmState.Ok } && !notifyOn.Contains(AlarmState.InsufficientData));
    }
}
