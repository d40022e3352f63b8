using System.Net;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Gateway;

/// <summary>The platform-wide limit through Lambda's API: a server that allows one instance in total.</summary>
public sealed class LambdaInvokeApiThrottleTests : IAsyncLifetime
{
    private NimbusTestServer _nimbus = null!;

    public async Task InitializeAsync() => _nimbus = await NimbusTestServer.StartAsync(o => o with { MaxInstances = 1 });

    public async Task DisposeAsync() => await _nimbus.DisposeAsync();

    [Fact]
    public async Task Invoke_WhenThePlatformIsAtItsLimit_Is429WithConcurrentInvocationLimitExceeded()
    {
        await _nimbus.DeployNodeAsync("busy", timeoutSeconds: 30);
        await _nimbus.DeployNodeAsync("blocked");
        var lambda = new LambdaApiClient(_nimbus.Client);
        var sleeping = lambda.InvokeAsync("busy", """{"action":"sleep","ms":20000}""");
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await _nimbus.InstancesAsync("busy")).Any(i => i.State == "Busy"), TimeSpan.FromSeconds(15)),
            "the sleeping invocation never got its instance");

        var response = await lambda.InvokeAsync("blocked", """{"action":"echo"}""");

        Assert.Equal((HttpStatusCode)429, response.Status);
        Assert.Equal("TooManyRequestsException", response.ErrorType);
        Assert.Equal("ConcurrentInvocationLimitExceeded", response.Json.GetProperty("Reason").GetString());
        Assert.False(sleeping.IsCompleted, "the first invocation should still hold the only slot");
    }
}
