namespace Nimbus.Core.Api;

/// <summary>
/// A schedule as the management API shows it (<c>GET /api/v1/schedules</c>). <paramref name="NextFireTime"/> is null
/// when the schedule is disabled, will never fire again, or was declared less than a second ago.
/// </summary>
/// <param name="Id">The rule name, <c>{function}-{index}</c>; also the last part of the rule ARN in each event's <c>resources</c>.</param>
/// <param name="LastResult">Queued, Running, Retrying, Succeeded, DeadLettered, QueueFull or Skipped; null before the first tick.</param>
public sealed record ScheduleInfo(
    string Id,
    string FunctionName,
    string Expression,
    string? Timezone,
    bool Enabled,
    string Missed,
    DateTimeOffset? NextFireTime,
    DateTimeOffset? LastFireTime,
    string? LastResult,
    string? LastRequestId)
{
    /// <summary>Paused by an operator: no tick fires until it is resumed (ticks that pass meanwhile are not caught up).</summary>
    public bool Paused { get; init; }
}
