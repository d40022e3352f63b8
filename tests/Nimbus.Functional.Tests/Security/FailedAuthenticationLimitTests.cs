using System.Net;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Security;

namespace Nimbus.Functional.Tests.Security;

/// <summary>A server of its own: its limit would otherwise block every other test's address.</summary>
public sealed class FailedAuthenticationLimitTests : IAsyncLifetime
{
    private NimbusTestServer _nimbus = null!;

    public async Task InitializeAsync() =>
        _nimbus = await NimbusTestServer.StartAsync(o => o with { Authentication = new AuthenticationOptions { MaxFailures = 3, FailureWindow = TimeSpan.FromMinutes(10) } });

    public async Task DisposeAsync() => await _nimbus.DisposeAsync();

    [Fact]
    public async Task FailedAuthentications_BeyondTheLimit_Are429ForThatAddressEvenWithAGoodToken()
    {
        using var wrong = _nimbus.ClientWithToken("nt_wrongwrongwr.guess");
        using var anonymous = _nimbus.AnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            // A request without credentials is not a failed guess: it does not count.
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/functions")).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/functions")).StatusCode);
        }

        using var limited = await wrong.GetAsync("/api/v1/functions");
        using var good = await _nimbus.Client.GetAsync("/api/v1/functions");
        using var health = await anonymous.GetAsync("/api/v1/health");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
