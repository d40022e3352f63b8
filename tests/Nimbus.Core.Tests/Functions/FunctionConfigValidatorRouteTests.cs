using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

public class FunctionConfigValidatorRouteTests
{
    private static IReadOnlyList<ValidationError> Validate(params HttpRouteConfig[] routes) =>
        FunctionConfigValidator.Validate(new FunctionConfig { Name = "f", Runtime = RuntimeNames.Provided, Routes = routes });

    [Fact]
    public void Validate_RouteTemplateTheGatewayCannotMatch_IsRejected()
    {
        var error = Assert.Single(Validate(new HttpRouteConfig("GET", "/files/{path+}/meta")));

        Assert.Equal("routes[0].path", error.Field);
        Assert.Contains("'{name+}' must be the last segment", error.Message);
    }

    [Fact]
    public void Validate_GoodTemplates_PassAndReservedPrefixesDoNot()
    {
        Assert.Empty(Validate(new HttpRouteConfig("GET", "/"), new HttpRouteConfig("ANY", "/orders/{id}/{rest+}")));
        Assert.Equal("routes[0].path", Assert.Single(Validate(new HttpRouteConfig("GET", "/api/x"))).Field);
    }
}
