using Nimbus.Core.Schedules;

namespace Nimbus.Server.Events.Schedules;

/// <summary>
/// A declared schedule ready to run: its rule name (<c>{function}-{index}</c>), parsed expression and zone, and a
/// fingerprint of everything that decides its ticks, so a change restarts it from the change instead of firing late.
/// </summary>
public sealed record ScheduleDefinition(
    string Id,
    string FunctionName,
    ScheduleConfig Config,
    ScheduleExpression Expression,
    TimeZoneInfo Zone,
    int MaximumQueueDepth)
{
    public string Fingerprint => $"{Config.Expression}|{Config.Timezone}|{Config.Enabled}";
}
