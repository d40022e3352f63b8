using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Tests.Routing;

public class RouteTableTests
{
    private static RouteTable Table(params (string Function, string Route)[] routes) =>
        RouteTable.Build(routes.Select(r =>
        {
            var space = r.Route.IndexOf(' ');
            return new RouteBinding(r.Function, new HttpRouteConfig(r.Route[..space], r.Route[(space + 1)..]));
        }));

    private static RouteMatch Match(RouteTable table, string method, string path)
    {
        Assert.True(table.TryMatch(method, path, out var match), $"expected {method} {path} to match a route");
        return match;
    }

    [Fact]
    public void TryMatch_LiteralRoute_ReturnsFunctionAndRouteKey()
    {
        var table = Table(("hello", "GET /hello"), ("orders", "GET /orders"));

        var match = Match(table, "GET", "/orders");

        Assert.Equal("orders", match.FunctionName);
        Assert.Equal("GET /orders", match.RouteKey);
        Assert.Null(match.Qualifier);
        Assert.Empty(match.PathParameters);
    }

    [Fact]
    public void TryMatch_RouteWithQualifier_CarriesTheAlias()
    {
        var table = RouteTable.Build([new RouteBinding("orders", new HttpRouteConfig("GET", "/orders", "live"))]);

        Assert.Equal("live", Match(table, "GET", "/orders").Qualifier);
    }

    [Fact]
    public void TryMatch_RootRoute_MatchesSlashAndEmptyPath()
    {
        var table = Table(("home", "GET /"));

        Assert.Equal("home", Match(table, "GET", "/").FunctionName);
        Assert.Equal("home", Match(table, "GET", "").FunctionName);
        Assert.False(table.TryMatch("GET", "/x", out _));
    }

    [Fact]
    public void TryMatch_Parameter_CapturesOneSegment()
    {
        var table = Table(("orders", "GET /orders/{id}"));

        var match = Match(table, "GET", "/orders/42");

        Assert.Equal("42", match.PathParameters["id"]);
        Assert.Equal("GET /orders/{id}", match.RouteKey);
        Assert.False(table.TryMatch("GET", "/orders/42/items", out _));
        Assert.False(table.TryMatch("GET", "/orders", out _));
    }

    [Fact]
    public void TryMatch_SeveralParameters_CapturesEach()
    {
        var table = Table(("items", "GET /orders/{orderId}/items/{itemId}"));

        var match = Match(table, "GET", "/orders/7/items/b-2");

        Assert.Equal("7", match.PathParameters["orderId"]);
        Assert.Equal("b-2", match.PathParameters["itemId"]);
    }

    [Fact]
    public void TryMatch_Greedy_CapturesTheRestIncludingSlashes()
    {
        var table = Table(("files", "GET /files/{path+}"));

        Assert.Equal("a/b/c.txt", Match(table, "GET", "/files/a/b/c.txt").PathParameters["path"]);
        Assert.Equal("a", Match(table, "GET", "/files/a").PathParameters["path"]);
    }

    [Fact]
    public void TryMatch_Greedy_NeedsAtLeastOneSegment()
    {
        var table = Table(("files", "GET /files/{path+}"));

        Assert.False(table.TryMatch("GET", "/files", out _));
        Assert.False(table.TryMatch("GET", "/files/", out _));
    }

    [Fact]
    public void TryMatch_ParameterValues_ArePercentDecoded()
    {
        var table = Table(("users", "GET /users/{name}"), ("files", "GET /files/{path+}"));

        Assert.Equal("jo smith", Match(table, "GET", "/users/jo%20smith").PathParameters["name"]);
        Assert.Equal("a/b", Match(table, "GET", "/users/a%2Fb").PathParameters["name"]);
        Assert.Equal("é", Match(table, "GET", "/users/%C3%A9").PathParameters["name"]);
        Assert.Equal("dir one/f+g", Match(table, "GET", "/files/dir%20one/f+g").PathParameters["path"]);
    }

    [Fact]
    public void TryMatch_PercentEncodedLiteral_MatchesTheLiteral()
    {
        var table = Table(("a", "GET /hello world"));

        Assert.Equal("a", Match(table, "GET", "/hello%20world").FunctionName);
    }

    [Fact]
    public void TryMatch_Path_IsCaseSensitive()
    {
        var table = Table(("orders", "GET /orders"));

        Assert.False(table.TryMatch("GET", "/Orders", out _));
    }

    [Fact]
    public void TryMatch_Method_IsCaseInsensitive()
    {
        var table = Table(("orders", "POST /orders"));

        Assert.Equal("orders", Match(table, "post", "/orders").FunctionName);
    }

    [Fact]
    public void TryMatch_TrailingSlash_IsTolerated()
    {
        var table = Table(("orders", "GET /orders"), ("order", "GET /orders/{id}/"));

        Assert.Equal("orders", Match(table, "GET", "/orders/").FunctionName);
        Assert.Equal("order", Match(table, "GET", "/orders/5").FunctionName);
        Assert.Equal("5", Match(table, "GET", "/orders/5/").PathParameters["id"]);
    }

    [Fact]
    public void TryMatch_EmptySegment_DoesNotMatchAParameter()
    {
        var table = Table(("items", "GET /orders/{id}/items"));

        Assert.False(table.TryMatch("GET", "/orders//items", out _));
    }

    [Fact]
    public void TryMatch_PathWithoutLeadingSlash_DoesNotMatch()
    {
        var table = Table(("orders", "GET /orders"));

        Assert.False(table.TryMatch("GET", "orders", out _));
    }

    [Fact]
    public void TryMatch_LiteralBeatsParameter()
    {
        var table = Table(("byId", "GET /orders/{id}"), ("latest", "GET /orders/latest"));

        Assert.Equal("latest", Match(table, "GET", "/orders/latest").FunctionName);
        Assert.Equal("byId", Match(table, "GET", "/orders/7").FunctionName);
    }

    [Fact]
    public void TryMatch_MoreLiteralSegmentsWin_EvenWhenTheFirstSegmentIsAParameter()
    {
        // The route with a literal first segment has fewer literals overall: specificity counts literals, not order.
        var table = Table(("first", "GET /a/{x}/{y}"), ("second", "GET /{p}/b/c"));

        Assert.Equal("second", Match(table, "GET", "/a/b/c").FunctionName);
        Assert.Equal("first", Match(table, "GET", "/a/b/d").FunctionName);
    }

    [Fact]
    public void TryMatch_SingleParameterBeatsGreedy()
    {
        var table = Table(("any", "GET /files/{path+}"), ("one", "GET /files/{name}"));

        Assert.Equal("one", Match(table, "GET", "/files/a.txt").FunctionName);
        Assert.Equal("any", Match(table, "GET", "/files/a/b.txt").FunctionName);
    }

    [Fact]
    public void TryMatch_LiteralUnderGreedyPrefix_Wins()
    {
        var table = Table(("proxy", "ANY /{proxy+}"), ("health", "GET /health"));

        Assert.Equal("health", Match(table, "GET", "/health").FunctionName);
        var proxied = Match(table, "GET", "/anything/else");
        Assert.Equal("proxy", proxied.FunctionName);
        Assert.Equal("anything/else", proxied.PathParameters["proxy"]);
    }

    [Fact]
    public void TryMatch_SameCountOfLiterals_LeftmostLiteralWins()
    {
        var table = Table(("paramFirst", "GET /{a}/b"), ("literalFirst", "GET /a/{b}"));

        Assert.Equal("literalFirst", Match(table, "GET", "/a/b").FunctionName);
    }

    [Fact]
    public void TryMatch_ExactMethodBeatsAny()
    {
        var table = Table(("any", "ANY /orders"), ("get", "GET /orders"));

        Assert.Equal("get", Match(table, "GET", "/orders").FunctionName);
        Assert.Equal("any", Match(table, "DELETE", "/orders").FunctionName);
        Assert.Equal("ANY /orders", Match(table, "DELETE", "/orders").RouteKey);
    }

    [Fact]
    public void TryMatch_PathSpecificityBeatsMethodExactness()
    {
        var table = Table(("byId", "GET /orders/{id}"), ("special", "ANY /orders/special"));

        Assert.Equal("special", Match(table, "GET", "/orders/special").FunctionName);
    }

    [Fact]
    public void TryMatch_LessSpecificRouteWithTheRightMethod_IsUsedWhenTheMoreSpecificHasNot()
    {
        var table = Table(("create", "POST /orders/{id}"), ("latest", "GET /orders/latest"));

        Assert.Equal("create", Match(table, "POST", "/orders/latest").FunctionName);
    }

    [Fact]
    public void TryMatch_Head_FallsBackToGet()
    {
        var table = Table(("get", "GET /orders"));

        var match = Match(table, "HEAD", "/orders");

        Assert.Equal("get", match.FunctionName);
        Assert.Equal("GET /orders", match.RouteKey);
    }

    [Fact]
    public void TryMatch_Head_PrefersHeadRouteThenAnyOverGet()
    {
        var headTable = Table(("get", "GET /x"), ("head", "HEAD /x"));
        var anyTable = Table(("get", "GET /x"), ("any", "ANY /x"));

        Assert.Equal("head", Match(headTable, "HEAD", "/x").FunctionName);
        Assert.Equal("any", Match(anyTable, "HEAD", "/x").FunctionName);
    }

    [Fact]
    public void TryMatch_OtherMethod_DoesNotFallBackToGet()
    {
        var table = Table(("get", "GET /orders"));

        Assert.False(table.TryMatch("POST", "/orders", out _));
    }

    [Fact]
    public void GetAllowedMethods_PathMatchesOtherMethods_ListsThemForA405()
    {
        var table = Table(("get", "GET /orders/{id}"), ("put", "PUT /orders/{id}"), ("list", "POST /orders"));

        Assert.False(table.TryMatch("DELETE", "/orders/3", out _));
        Assert.Equal(["GET", "HEAD", "PUT"], table.GetAllowedMethods("/orders/3"));
        Assert.Equal(["POST"], table.GetAllowedMethods("/orders"));
    }

    [Fact]
    public void GetAllowedMethods_NoRouteForPath_IsEmptyForA404()
    {
        var table = Table(("get", "GET /orders/{id}"));

        Assert.Empty(table.GetAllowedMethods("/customers/3"));
        Assert.Empty(table.GetAllowedMethods("/orders/3/extra"));
    }

    [Fact]
    public void Build_DuplicateMethodAndShape_KeepsTheFirstAndReportsTheOther()
    {
        var table = Table(("a", "GET /orders/{id}"), ("b", "GET /orders/{orderId}"), ("c", "POST /orders/{id}"));

        Assert.Equal("a", Match(table, "GET", "/orders/1").FunctionName);
        Assert.Equal("c", Match(table, "POST", "/orders/1").FunctionName);
        Assert.Equal(2, table.Count);
        var issue = Assert.Single(table.Issues);
        Assert.Equal("b", issue.Binding.FunctionName);
        Assert.Contains("'GET /orders/{id}' of function 'a'", issue.Message);
    }

    [Fact]
    public void Build_InvalidTemplate_IsLeftOutAndReported()
    {
        var table = Table(("bad", "GET /files/{path+}/meta"), ("good", "GET /ok"));

        Assert.Equal(1, table.Count);
        var issue = Assert.Single(table.Issues);
        Assert.Equal("bad", issue.Binding.FunctionName);
        Assert.Contains("must be the last segment", issue.Message);
        Assert.True(table.TryMatch("GET", "/ok", out _));
    }

    [Fact]
    public void TryMatch_EmptyTable_MatchesNothing()
    {
        Assert.False(RouteTable.Empty.TryMatch("GET", "/", out _));
        Assert.Empty(RouteTable.Empty.GetAllowedMethods("/"));
    }

    [Fact]
    public void TryMatch_VeryDeepPath_StillMatchesGreedy()
    {
        var table = Table(("deep", "GET /d/{rest+}"));
        var segments = string.Join('/', Enumerable.Range(0, 100));

        Assert.Equal(segments, Match(table, "GET", "/d/" + segments).PathParameters["rest"]);
    }

    [Fact]
    public void TryMatch_ManyRoutes_EachPathFindsItsOwnFunction()
    {
        var routes = Enumerable.Range(0, 200).Select(i => ($"f{i}", $"GET /service{i}/items/{{id}}")).ToArray();
        var table = Table(routes);

        for (var i = 0; i < 200; i++)
        {
            var match = Match(table, "GET", $"/service{i}/items/{i}");
            Assert.Equal($"f{i}", match.FunctionName);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), match.PathParameters["id"]);
        }
    }
}
