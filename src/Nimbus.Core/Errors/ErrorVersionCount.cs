namespace Nimbus.Core.Errors;

/// <summary>How often a group occurred in one version.</summary>
public sealed record ErrorVersionCount(string Version, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
