namespace Nimbus.Core.Api;

/// <summary>Body of <c>POST /api/v1/alarms/{name}/mute</c>: how long to hold its notifications back (<c>2h</c>, <c>30m</c>, <c>1d</c>).</summary>
public sealed record MuteRequest(string? For);
