namespace Nimbus.Core.Alarms;

/// <summary>A stored alarm: its definition, its state, why it is in that state and since when; <see cref="IsDefault"/>
/// for the alarms the platform created for a function (<see cref="DefaultAlarms"/>).</summary>
public sealed record AlarmRecord(AlarmDefinition Definition, AlarmState State, string Reason, DateTimeOffset StateUpdatedAt, bool IsDefault);
