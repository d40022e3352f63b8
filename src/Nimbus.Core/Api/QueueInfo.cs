namespace Nimbus.Core.Api;

/// <summary>
/// A queue as the management API shows it: its settings and its counts now. <paramref name="Depth"/> is every message
/// not dead-lettered (visible, in flight or delayed); <paramref name="OldestMessageAgeSeconds"/> is null when empty.
/// </summary>
public sealed record QueueInfo(
    string Name,
    int? VisibilityTimeoutSeconds,
    int RetentionSeconds,
    int DelaySeconds,
    int? MaxReceiveCount,
    int MaximumDepth,
    long Depth,
    long Visible,
    long InFlight,
    long Delayed,
    double? OldestMessageAgeSeconds,
    long DeadLettered);
