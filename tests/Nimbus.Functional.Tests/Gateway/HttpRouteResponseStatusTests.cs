using System.Net;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>
/// A route function may answer any status from 100 to 599; those HTTP does not allow as a final answer with a body
/// (1xx, 204, 205, 304) must still reach the caller as a proper response, never an empty 500.
/// </summary>
public sealed class HttpRouteResponseStatusTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public HttpRouteResponseStatusTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Theory]
    [InlineData(204, HttpStatusCode.NoContent)]
    [InlineData(205, HttpStatusCode.ResetContent)]
    [InlineData(304, HttpStatusCode.NotModified)]
    public async Task Route_FunctionAnswersABodilessStatusWithABody_GetsTheStatusWithoutTheBody(int status, HttpStatusCode expected)
    {
        await DeployAsync("bodiless");

        var response = await PostAsync("/bodiless", $$$"""{"statusCode":{{{status}}},"body":"not allowed here","headers":{"x-kept":"yes"}}""");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-kept").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    public async Task Route_FunctionAnswersAnInterimStatus_Is502(int status)
    {
        await DeployAsync("interim");

        var response = await PostAsync("/interim", $$"""{"statusCode":{{status}},"body":"x"}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync());
    }

    private Task DeployAsync(string name) => _nimbus.DeployAsync(name, RepoPaths.Fixture("route-answer"), new FunctionConfigRequest
    {
        Runtime = "node",
        Handler = "index.handler",
        Routes = [new HttpRouteConfig("POST", "/" + name)],
    });

    private Task<HttpResponseMessage> PostAsync(string path, string answer) =>
        _nimbus.Client.PostAsync(path, new StringContent(answer, Encoding.UTF8, "application/json"));
}
