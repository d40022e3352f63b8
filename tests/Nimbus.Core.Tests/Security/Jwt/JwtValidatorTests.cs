using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Security.Jwt;

namespace Nimbus.Core.Tests.Security.Jwt;

public sealed class JwtValidatorTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private IReadOnlyList<JwksKey> KeySet(RSA rsa, string kid = "k1")
    {
        var parameters = rsa.ExportParameters(false);
        var json = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "RSA", kid, use = "sig", n = B64(parameters.Modulus!), e = B64(parameters.Exponent!) } },
        });
        return JwksParser.TryParse(json, out var error) ?? throw new InvalidOperationException(error);
    }

    private string Token(object claims, string alg = "RS256", string kid = "k1", RSA? signer = null)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = (signer ?? _key).SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{B64(signature)}";
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static object Claims(string iss = "https://issuer", object? aud = null, long? exp = null) =>
        new { iss, aud = aud ?? "orders-api", sub = "user-1", exp = exp ?? s_now.AddMinutes(5).ToUnixTimeSeconds() };

    [Fact]
    public void Validate_GoodToken_IsValidWithItsSubject()
    {
        var verdict = JwtValidator.Validate(Token(Claims()), KeySet(_key), "https://issuer", "orders-api", s_now);

        Assert.True(verdict.IsValid, verdict.Error);
        Assert.Equal("user-1", verdict.Subject);
    }

    [Fact]
    public void Validate_AudienceArray_IsAccepted() =>
        Assert.True(JwtValidator.Validate(Token(Claims(aud: new[] { "x", "orders-api" })), KeySet(_key), "https://issuer", "orders-api", s_now).IsValid);

    [Theory]
    [InlineData("wrong-issuer", "issuer")]
    [InlineData("wrong-audience", "audience")]
    [InlineData("expired", "expired")]
    [InlineData("other-key", "signature does not verify")]
    [InlineData("alg-none", "not RS256")]
    [InlineData("unknown-kid", "key id")]
    [InlineData("garbage", "not a JWT")]
    public void Validate_BadToken_IsRefusedSayingWhy(string kind, string error)
    {
        var token = kind switch
        {
            "wrong-issuer" => Token(Claims(iss: "https://evil")),
            "wrong-audience" => Token(Claims(aud: "billing")),
            "expired" => Token(Claims(exp: s_now.AddMinutes(-5).ToUnixTimeSeconds())),
            "other-key" => Token(Claims(), signer: _otherKey),
            "alg-none" => Token(Claims(), alg: "none"),
            "unknown-kid" => Token(Claims(), kid: "k9"),
            _ => "not-a-token",
        };

        var verdict = JwtValidator.Validate(token, KeySet(_key), "https://issuer", "orders-api", s_now);

        Assert.False(verdict.IsValid);
        Assert.Contains(error, verdict.Error);
    }

    [Fact]
    public void Validate_TamperedClaims_FailTheSignature()
    {
        var parts = Token(Claims()).Split('.');
        var forged = B64(JsonSerializer.SerializeToUtf8Bytes(Claims(aud: "orders-api", exp: s_now.AddDays(30).ToUnixTimeSeconds())));

        var verdict = JwtValidator.Validate($"{parts[0]}.{forged}.{parts[2]}", KeySet(_key), "https://issuer", "orders-api", s_now);

        Assert.False(verdict.IsValid);
    }
}
