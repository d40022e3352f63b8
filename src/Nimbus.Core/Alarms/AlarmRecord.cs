namespace Nimbus.Core.Alarms;

/// <summary>A stored alarm: its definition, its state, why it is in that state and since when; <see cref="IsDefault"/>
/// for the alarms the platform created for a function (<see cref="DefaultAlarms"/>).</summary>
public sealed record AlarmRecord(AlarmDefinition Definition, AlarmState State, string Reason, DateTimeOffset StateUpdatedAt, bool IsDefault)
{
    /// <summary>Notifications are held back until this time (<c>nimbus alarms mute</c>); null: not muted.</summary>
    public DateTimeOffset? MutedUntil { get; init; }

    public bool IsMuted(DateTimeOffset now) => MutedUntil is { } until && now < until;
}
