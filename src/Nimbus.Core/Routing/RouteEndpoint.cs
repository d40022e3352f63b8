namespace Nimbus.Core.Routing;

/// <summary>A compiled route: where a match of the tree leads. <paramref name="Order"/> breaks exact ties.</summary>
internal sealed record RouteEndpoint(RouteBinding Binding, string Method, RouteTemplate Template, string RouteKey, int Order);
