namespace Nimbus.Core.Instances;

/// <summary>What the scale-down decision needs to know of an idle instance.</summary>
public readonly record struct IdleInstance(string Id, string PoolKey, DateTimeOffset IdleSince);
