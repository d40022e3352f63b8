namespace Nimbus.Core.Deployments;

/// <summary>A watched alarm evaluated on the new version alone; <see cref="Detail"/> says which datapoints breached.</summary>
public sealed record WatchedAlarm(string Name, bool InAlarm, string? Detail);
