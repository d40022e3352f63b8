namespace Nimbus.Core.Api;

/// <summary>The answer to a pause or resume: how many schedules or event sources changed state.</summary>
public sealed record PauseResult(int Changed);
