using System.Net.Sockets;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>
/// <c>ANY</c> means the seven methods a route can declare, as in API Gateway: other methods (CONNECT, TRACE, WebDAV's)
/// get 405 with <c>Allow</c>, never a 500 and never the function.
/// </summary>
public sealed class HttpRouteMethodTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public HttpRouteMethodTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Theory]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    [InlineData("PROPFIND")]
    public async Task AnyRoute_MethodNoRouteCanDeclare_Is405WithAllowAndReachesNoFunction(string method)
    {
        var function = "odd-" + method.ToLowerInvariant();
        await _nimbus.DeployAsync(function, RepoPaths.Fixture("route-echo"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            Routes = [new HttpRouteConfig("ANY", $"/{function}/{{proxy+}}")],
        });

        // Raw HTTP/1.1: HttpClient will not send CONNECT with a path (Kestrel accepts it, and answered 500 before).
        var response = await SendRawAsync($"{method} /{function}/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nAllow: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{\"message\":\"Method Not Allowed\"}", response, StringComparison.Ordinal);
        Assert.Empty(await _nimbus.InstancesAsync(function));
    }

    [Fact]
    public async Task UnroutedPath_MethodNoRouteCanDeclare_Is404()
    {
        var response = await SendRawAsync("CONNECT /no-route-here HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{\"message\":\"Not Found\"}", response, StringComparison.Ordinal);
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_nimbus.Server.BaseAddress.Host, _nimbus.Server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
