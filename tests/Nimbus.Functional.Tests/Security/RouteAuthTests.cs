using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Security;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Security;

/// <summary>HTTP routes are public unless they say <c>auth:</c>; then a Nimbus token or a JWT from the configured issuer.</summary>
public sealed class RouteAuthTests : IClassFixture<SharedServer>, IDisposable
{
    private readonly NimbusTestServer _nimbus;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _jwksFile = Path.Combine(Path.GetTempPath(), $"nimbus-jwks-{Guid.NewGuid():N}.json");

    public RouteAuthTests(SharedServer shared)
    {
        _nimbus = shared.Nimbus;
        var parameters = _key.ExportParameters(false);
        File.WriteAllText(_jwksFile, JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "test", n = B64(parameters.Modulus!), e = B64(parameters.Exponent!) } } }));
    }

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_jwksFile);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string Jwt(string audience, RSA? signer = null)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = "test" }));
        var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = "https://id.test", aud = audience, sub = "ada", exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        }));
        return $"{header}.{claims}.{B64((signer ?? _key).SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private async Task<HttpStatusCode> GetAsync(string path, string? bearer)
    {
        using var client = bearer is null ? _nimbus.AnonymousClient() : _nimbus.ClientWithToken(bearer);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    [Fact]
    public async Task Routes_PublicByDefault_NimbusOrJwtWhenDeclared()
    {
        await _nimbus.DeployAsync("route-auth", RepoPaths.Fixture("route-echo"), new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            Routes =
            [
                new HttpRouteConfig("GET", "/ra/public"),
                new HttpRouteConfig("GET", "/ra/nimbus") { Auth = RouteAuth.Nimbus },
                new HttpRouteConfig("GET", "/ra/jwt") { Auth = new RouteAuth { Type = RouteAuth.JwtType, Issuer = "https://id.test", Audience = "orders", JwksFile = _jwksFile } },
            ],
        });
        var invoker = await _nimbus.CreateIdentityAsync(Roles.Invoker);
        var viewer = await _nimbus.CreateIdentityAsync(Roles.Viewer);
        using var other = RSA.Create(2048);

        Assert.Equal(HttpStatusCode.OK, await GetAsync("/ra/public", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/nimbus", null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/ra/nimbus", invoker.Token));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("/ra/nimbus", viewer.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/nimbus", invoker.Token + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/jwt", null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/ra/jwt", Jwt("orders")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/jwt", Jwt("billing")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/jwt", Jwt("orders", other)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/ra/jwt", invoker.Token));
    }

    [Fact]
    public async Task Route_JwtWithoutKeySet_Is400NamingTheField()
    {
        using var response = await _nimbus.Client.PutAsync("/api/v1/functions/route-auth-bad", new StringContent(
            """{"runtime":"node","handler":"index.handler","routes":[{"method":"GET","path":"/rab","auth":{"type":"jwt","issuer":"i","audience":"a"}}]}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("routes[0].auth.jwksUrl", await response.Content.ReadAsStringAsync());
    }
}
