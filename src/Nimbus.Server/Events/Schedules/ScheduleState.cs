namespace Nimbus.Server.Events.Schedules;

/// <summary>
/// A schedule as stored: when it fires next (null: never again, or disabled) and what its last tick did.
/// <see cref="LastResult"/> is <c>Queued</c>, <c>Running</c>, <c>Retrying</c>, <c>Succeeded</c> (the event was acked),
/// <c>DeadLettered</c>, <c>QueueFull</c> (the tick was dropped: the function's queue was full) or <c>Skipped</c>
/// (missed ticks dropped under <c>missed: skip</c>).
/// </summary>
public sealed record ScheduleState(
    string Id,
    string FunctionName,
    DateTimeOffset? NextFireAt,
    DateTimeOffset? LastFireAt,
    string? LastResult,
    string? LastRequestId)
{
    /// <summary>When an operator paused it (<c>nimbus schedules pause</c>); null when it runs.</summary>
    public DateTimeOffset? PausedAt { get; init; }
}
