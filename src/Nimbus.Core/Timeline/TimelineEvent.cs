namespace Nimbus.Core.Timeline;

/// <summary>
/// One entry of a function's change timeline (<c>nimbus timeline</c>): when, which function, what kind of event
/// (<see cref="TimelineKinds"/>), a one-line summary, who did it when known, and which source recorded it.
/// </summary>
public sealed record TimelineEvent(DateTimeOffset Timestamp, string Function, string Kind, string Summary, string? Actor, string Source);
