namespace Nimbus.Core.Functions;

/// <summary>An HTTP route a function serves through the gateway, e.g. <c>GET /orders/{id}</c>.</summary>
/// <param name="Method">HTTP method in upper case, or <c>ANY</c>.</param>
/// <param name="Path">Path template starting with '/'; <c>{name}</c> captures a segment, <c>{name+}</c> the rest.</param>
/// <param name="Qualifier">Version or alias the route invokes; null means <c>$LATEST</c>.</param>
public sealed record HttpRouteConfig(string Method, string Path, string? Qualifier = null)
{
    /// <summary>Who may call the route; null (the default) is public.</summary>
    public RouteAuth? Auth { get; init; }
}
