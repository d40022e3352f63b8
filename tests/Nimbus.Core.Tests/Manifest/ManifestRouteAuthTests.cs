using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public sealed class ManifestRouteAuthTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string auth) => ManifestParser.Parse($"""
        functions:
          api:
            runtime: node
            handler: index.handler
            code: api
            routes:
              - method: GET
                path: /orders
                auth: {auth}
        """, s_base);

    [Fact]
    public void Parse_AuthNimbus_RequiresANimbusToken()
    {
        var result = Parse("nimbus");

        Assert.Empty(result.Errors);
        Assert.Equal(RouteAuth.Nimbus, result.Manifest!.Functions[0].Config.Routes[0].Auth);
    }

    [Fact]
    public void Parse_AuthJwt_ReadsIssuerAudienceAndKeyFileRelativeToTheManifest()
    {
        var result = Parse("{jwt: {issuer: 'https://id.example', audience: orders, jwksFile: keys/jwks.json}}");

        Assert.Empty(result.Errors);
        var auth = result.Manifest!.Functions[0].Config.Routes[0].Auth!;
        Assert.Equal(RouteAuth.JwtType, auth.Type);
        Assert.Equal("https://id.example", auth.Issuer);
        Assert.Equal("orders", auth.Audience);
        Assert.Equal(Path.Combine(s_base, "keys", "jwks.json"), auth.JwksFile);
    }

    [Theory]
    [InlineData("basic", "routes[0].auth")]
    [InlineData("{jwt: {issuer: x, jwksUrl: 'https://k'}}", "audience")]
    [InlineData("{jwt: {issuer: x, audience: y}}", "jwksUrl")]
    [InlineData("{jwt: {issuer: x, audience: y, jwksUrl: 'ftp://k'}}", "jwksUrl")]
    [InlineData("{jwt: {issuer: x, audience: y, jwks: 'https://k'}}", "jwt.jwks")]
    public void Parse_BadAuth_NamesTheField(string auth, string field)
    {
        var result = Parse(auth);

        Assert.Null(result.Manifest);
        Assert.Contains(result.Errors, e => e.Field.Contains(field, StringComparison.Ordinal));
    }
}
