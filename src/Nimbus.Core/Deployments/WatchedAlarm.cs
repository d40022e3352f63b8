using Nimbus.Core.Alarms;

namespace Nimbus.Core.Deployments;

/// <summary>A watched alarm evaluated on the new version alone; <see cref="Detail"/> says which datapoints breached.</summary>
public sealed record WatchedAlarm(string Name, bool InAlarm, string? Detail)
{
    /// <summary>The alarm's state as the loop saw it (an alarm without enough data yet is neither OK nor in ALARM).</summary>
    public AlarmState State { get; init; } = InAlarm ? AlarmState.Alarm : AlarmState.Ok;
}
