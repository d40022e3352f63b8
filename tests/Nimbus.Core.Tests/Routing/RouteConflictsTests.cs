using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Tests.Routing;

public class RouteConflictsTests
{
    private static FunctionConfig Fn(string name, params HttpRouteConfig[] routes) => new() { Name = name, Runtime = RuntimeNames.Provided, Routes = routes };

    private static HttpRouteConfig Route(string method, string path) => new(method, path);

    [Fact]
    public void Find_SameMethodAndShape_ClashesNamingTheOwner()
    {
        var conflicts = RouteConflicts.Find(Fn("new", Route("get", "/orders/{orderId}/")), [Fn("old", Route("GET", "/orders/{id}"))]);

        var conflict = Assert.Single(conflicts);
        Assert.Equal((0, "get /orders/{orderId}/", "old"), (conflict.Index, conflict.RouteKey, conflict.Owner));
        Assert.Equal("'get /orders/{orderId}/' is already served by function 'old'", conflict.Message);
    }

    [Fact]
    public void Find_OtherMethodLiteralOrOwnFunction_DoesNotClash()
    {
        var others = new[] { Fn("old", Route("GET", "/orders/{id}")), Fn("new", Route("POST", "/orders/{id}")) };

        Assert.Empty(RouteConflicts.Find(Fn("new", Route("POST", "/orders/{id}"), Route("ANY", "/orders/{id}"), Route("GET", "/orders/latest")), others));
    }
}
