using Nimbus.Core.Alarms;

namespace Nimbus.Core.Api;

/// <summary>One state change as <c>GET /api/v1/alarms/{name}/history</c> shows it.</summary>
public sealed record AlarmHistoryEntry(DateTimeOffset Timestamp, string OldState, string NewState, string Reason)
{
    public static AlarmHistoryEntry From(AlarmTransition transition) => new(
        transition.Timestamp, AlarmStateNames.ToName(transition.OldState), AlarmStateNames.ToName(transition.NewState), transition.Reason);
}
