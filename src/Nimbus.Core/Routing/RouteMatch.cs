namespace Nimbus.Core.Routing;

/// <summary>The route a request matched.</summary>
/// <param name="Qualifier">Alias or version to invoke; null means <c>$LATEST</c>.</param>
/// <param name="RouteKey">The matched route as declared, e.g. <c>GET /orders/{id}</c> (API Gateway's <c>routeKey</c>).</param>
/// <param name="PathParameters">Values of the template's parameters, percent-decoded.</param>
public sealed record RouteMatch(
    string FunctionName,
    string? Qualifier,
    string RouteKey,
    IReadOnlyDictionary<string, string> PathParameters)
{
    /// <summary>Who may call the matched route; null is public.</summary>
    public Functions.RouteAuth? Auth { get; init; }
}
