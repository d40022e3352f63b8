using Nimbus.Core.Alarms;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>Alarm transitions, from the alarm history.</summary>
public sealed class AlarmTimelineSource(SqliteAlarmStore alarms) : ITimelineSource
{
    public const string Name = "alarms";

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        (await alarms.ListHistorySinceAsync(function, since, limit, cancellationToken).ConfigureAwait(false))
            .Select(h => new TimelineEvent(h.Transition.Timestamp, h.Function, TimelineKinds.AlarmTransition,
                $"alarm {h.Transition.Alarm} {AlarmStateNames.ToName(h.Transition.OldState)} -> {AlarmStateNames.ToName(h.Transition.NewState)}", null, Name))
            .ToList();
}
