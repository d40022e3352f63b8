using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Tests.Routing;

/// <summary>A deep route (stored by an older build, or built directly) cannot overflow the stack of the build or a match.</summary>
public class RouteTableDepthTests
{
    // Far less than the default thread stack: a build or match that recursed once per segment would overflow it.
    private const int SmallStack = 256 * 1024;

    [Fact]
    public void BuildAndMatch_TenThousandSegmentRoute_WorkOnASmallStack()
    {
        var path = "/" + string.Join('/', Enumerable.Range(0, 10_000).Select(i => i % 100 == 0 ? "{p" + i + "}" : "s"));
        var request = "/" + string.Join('/', Enumerable.Range(0, 10_000).Select(i => i % 100 == 0 ? "v" + i : "s"));
        RouteMatch? match = null;
        var matched = false;
        var count = 0;

        RunOnSmallStack(() =>
        {
            var table = RouteTable.Build([new RouteBinding("deep", new HttpRouteConfig("GET", path)), new RouteBinding("shallow", new HttpRouteConfig("GET", "/s"))]);
            count = table.Count;
            matched = table.TryMatch("GET", request, out match);
        });

        Assert.Equal(2, count);
        Assert.True(matched);
        Assert.Equal("deep", match!.FunctionName);
        Assert.Equal("v9900", match.PathParameters["p9900"]);
    }

    private static void RunOnSmallStack(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, SmallStack);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }
}
