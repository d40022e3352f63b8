namespace Nimbus.Core.Api;

/// <summary>How many dead letters a redrive or purge touched.</summary>
public sealed record DeadLetterCount(int Count);
