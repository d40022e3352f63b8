namespace Nimbus.Server.Security;

/// <summary>How failed authentications are limited, per source address.</summary>
public sealed record AuthenticationOptions
{
    /// <summary>Failed authentications an address may make in <see cref="FailureWindow"/> before it is answered 429.</summary>
    public int MaxFailures { get; init; } = 10;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);
}
