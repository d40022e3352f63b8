using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>An HTTP route and the function it invokes; the input of <see cref="RouteTable.Build"/>.</summary>
public sealed record RouteBinding(string FunctionName, HttpRouteConfig Route);
