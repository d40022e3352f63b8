using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>A route a function declares that another function already serves.</summary>
/// <param name="Index">Position of the route in the declaring function's <c>routes</c>.</param>
/// <param name="RouteKey">The route as declared, e.g. <c>GET /orders/{id}</c>.</param>
/// <param name="Owner">The function that already serves requests of that shape.</param>
public sealed record RouteConflict(int Index, HttpRouteConfig Route, string RouteKey, string Owner)
{
    public string Message => $"'{RouteKey}' is already served by function '{Owner}'";
}
