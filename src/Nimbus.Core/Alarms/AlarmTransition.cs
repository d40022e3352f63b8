namespace Nimbus.Core.Alarms;

/// <summary>One change of an alarm's state, kept in its history with the reason that names the datapoints.</summary>
public sealed record AlarmTransition(string Alarm, DateTimeOffset Timestamp, AlarmState OldState, AlarmState NewState, string Reason);
