using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>HTTP routes deliver API Gateway v2 events to the orders example and map its answers back.</summary>
public sealed class HttpRouteTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public HttpRouteTests(SharedServer shared) => _nimbus = shared.Nimbus;

    /// <summary>The orders example, its routes under <paramref name="prefix"/> ("" for the example's own paths, which its code dispatches on).</summary>
    private Task DeployOrdersAsync(string prefix) => _nimbus.DeployAsync((prefix.Length == 0 ? "main" : prefix.TrimStart('/')) + "-orders", RepoPaths.Example("orders"), new FunctionConfigRequest
    {
        Runtime = "node",
        Handler = "index.handler",
        Routes = [new HttpRouteConfig("GET", $"{prefix}/orders"), new HttpRouteConfig("POST", $"{prefix}/orders"), new HttpRouteConfig("GET", $"{prefix}/orders/{{id}}")],
    });

    [Fact]
    public async Task Routes_CreateThenReadAnOrder_ThroughApiGatewayEvents()
    {
        await DeployOrdersAsync("");

        var created = await _nimbus.Client.PostAsync("/orders", new StringContent("""{"item":"tea","quantity":2}""", Encoding.UTF8, "application/json"));
        var order = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = order.GetProperty("id").GetString();
        var read = await _nimbus.Client.GetAsync($"/orders/{id}");
        var missing = await _nimbus.Client.GetAsync("/orders/no-such-order");
        var invalid = await _nimbus.Client.PostAsync("/orders", new StringContent("""{"item":""}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("tea", JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("item").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("item", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Routes_UnknownPathIs404_WrongMethodIs405WithAllow()
    {
        await DeployOrdersAsync("/store");

        var unknown = await _nimbus.Client.GetAsync("/store/nothing-here");
        var wrongMethod = await _nimbus.Client.DeleteAsync("/store/orders");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("GET, HEAD, POST", wrongMethod.Content.Headers.Allow.Count > 0 ? string.Join(", ", wrongMethod.Content.Headers.Allow) : wrongMethod.Headers.GetValues("Allow").Single());
    }

    [Fact]
    public async Task Routes_EventCarriesRouteKeyPathParametersQueryHeadersAndBody()
    {
        await _nimbus.DeployAsync("route-echo", RepoPaths.Fixture("route-echo"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            Routes = [new HttpRouteConfig("ANY", "/echo/{thing}")],
        });

        using var request = new HttpRequestMessage(HttpMethod.Put, "/echo/widget%20one?colour=red&size=2")
        {
            Content = new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom", "abc");
        var response = await _nimbus.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var evt = JsonDocument.Parse(body).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-echo").Single());
        Assert.Equal("seen=1; Path=/", response.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("2.0", evt.GetProperty("version").GetString());
        Assert.Equal("ANY /echo/{thing}", evt.GetProperty("routeKey").GetString());
        Assert.Equal("/echo/widget%20one", evt.GetProperty("rawPath").GetString());
        Assert.Equal("widget one", evt.GetProperty("pathParameters").GetProperty("thing").GetString());
        Assert.Equal("red", evt.GetProperty("queryStringParameters").GetProperty("colour").GetString());
        Assert.Equal("abc", evt.GetProperty("headers").GetProperty("x-custom").GetString());
        Assert.Equal("PUT", evt.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("""{"hello":"world"}""", evt.GetProperty("body").GetString());
        Assert.False(evt.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public async Task Invoke_WhenResponseExceeds6MB_Returns413()
    {
        await _nimbus.DeployAsync("big-answer", RepoPaths.Fixture("big-response"), new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", MemoryMb = 512 });

        var small = await _nimbus.InvokeAsync("big-answer", new { mb = 1 });
        var large = await _nimbus.InvokeAsync("big-answer", new { mb = 7 });

        Assert.Equal(HttpStatusCode.OK, small.Status);
        Assert.Equal(1024 * 1024 + 2, small.Body.Length);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.Status);
        Assert.Contains("response is larger than the maximum", large.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Routes_ClaimedByAnotherFunction_AreRefusedWithTheFieldAndOwner()
    {
        await DeployOrdersAsync("/market");

        var response = await _nimbus.Client.PutAsJsonAsync("/api/v1/functions/thief", new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            Routes = [new HttpRouteConfig("GET", "/market/orders")],
        }, NimbusTestServer.Json);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("market-orders", problem.GetProperty("errors").GetProperty("routes[0]")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/functions/thief")).StatusCode);
    }
}
