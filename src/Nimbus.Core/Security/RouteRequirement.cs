namespace Nimbus.Core.Security;

/// <summary>What a route asks of its caller: nothing, any identity, or one permission.</summary>
public sealed record RouteRequirement(bool IsPublic, string? Permission)
{
    public static readonly RouteRequirement Public = new(true, null);

    /// <summary>Any authenticated identity (e.g. the 405 answer of a known path): no permission beyond being someone.</summary>
    public static readonly RouteRequirement Authenticated = new(false, null);

    public static RouteRequirement Needs(string permission) => new(false, permission);
}
