using Nimbus.Core.Routing;

namespace Nimbus.Core.Tests.Routing;

public class RouteTemplateTests
{
    [Fact]
    public void TryParse_MixedTemplate_ReadsEachSegment()
    {
        Assert.True(RouteTemplate.TryParse("/orders/{id}/files/{path+}", out var template, out _));

        Assert.Equal(
            [
                new RouteSegment(RouteSegmentKind.Literal, "orders"),
                new RouteSegment(RouteSegmentKind.Parameter, "id"),
                new RouteSegment(RouteSegmentKind.Literal, "files"),
                new RouteSegment(RouteSegmentKind.Greedy, "path"),
            ],
            template.Segments);
        Assert.Equal(2, template.LiteralCount);
        Assert.True(template.HasGreedy);
        Assert.Equal("/orders/{}/files/{+}", template.Shape);
    }

    [Theory]
    [InlineData("/orders", "/orders")]
    [InlineData("/orders/", "/orders")]
    [InlineData("/", "/")]
    public void TryParse_TrailingSlash_HasTheSameShape(string path, string shape)
    {
        Assert.True(RouteTemplate.TryParse(path, out var template, out _));
        Assert.Equal(shape, template.Shape);
    }

    [Theory]
    [InlineData("", "must start with '/'")]
    [InlineData("orders", "must start with '/'")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/{path+}/x", "'{name+}' must be the last segment")]
    [InlineData("/order-{id}", "a parameter takes a whole segment")]
    [InlineData("/{id}.json", "a parameter takes a whole segment")]
    [InlineData("/{}", "malformed parameter")]
    [InlineData("/{a b}", "invalid parameter name")]
    [InlineData("/{id}/{id}", "uses the parameter name 'id' twice")]
    public void TryParse_InvalidTemplate_SaysWhy(string path, string expected)
    {
        Assert.False(RouteTemplate.TryParse(path, out _, out var error));
        Assert.Contains(expected, error);
    }
}
