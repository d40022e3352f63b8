using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Security.Jwt;

/// <summary>
/// Checks a compact JWS bearer token signed with RS256 against a key set: signature, <c>iss</c>, <c>aud</c> (a string
/// or an array), <c>exp</c> and <c>nbf</c> with a small clock skew. Only RS256: a token naming another algorithm,
/// <c>none</c> included, is refused before any key is touched.
/// </summary>
public static class JwtValidator
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public static JwtVerdict Validate(string token, IReadOnlyList<JwksKey> keys, string issuer, string audience, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return JwtVerdict.Invalid("the token is not a JWT (three dot-separated parts)");
        }

        if (Base64Url.TryDecode(parts[0]) is not { } headerBytes || Base64Url.TryDecode(parts[1]) is not { } payloadBytes
            || Base64Url.TryDecode(parts[2]) is not { } signature)
        {
            return JwtVerdict.Invalid("the token is not base64url encoded");
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            using var payload = JsonDocument.Parse(payloadBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return JwtVerdict.Invalid("the token's header and claims must be JSON objects");
            }

            if (Text(header.RootElement, "alg") != "RS256")
            {
                return JwtVerdict.Invalid($"the token's algorithm '{Text(header.RootElement, "alg")}' is not RS256");
            }

            var kid = Text(header.RootElement, "kid");
            var candidates = keys.Where(k => kid is null || k.KeyId is null || k.KeyId == kid).ToList();
            if (candidates.Count == 0)
            {
                return JwtVerdict.Invalid($"no key in the key set has the token's key id '{kid}'");
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!candidates.Any(key => Verifies(key, signed, signature)))
            {
                return JwtVerdict.Invalid("the token's signature does not verify with the key set");
            }

            return CheckClaims(payload.RootElement, issuer, audience, now);
        }
        catch (JsonException)
        {
            return JwtVerdict.Invalid("the token's header or claims are not JSON");
        }
    }

    private static JwtVerdict CheckClaims(JsonElement claims, string issuer, string audience, DateTimeOffset now)
    {
        if (Text(claims, "iss") != issuer)
        {
            return JwtVerdict.Invalid($"the token's issuer '{Text(claims, "iss")}' is not '{issuer}'");
        }

        var audiences = claims.TryGetProperty("aud", out var aud) ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()).ToArray(),
            _ => Array.Empty<string?>(),
        } : [];
        if (!audiences.Contains(audience, StringComparer.Ordinal))
        {
            return JwtVerdict.Invalid($"the token's audience does not include '{audience}'");
        }

        if (Seconds(claims, "exp") is not { } exp)
        {
            return JwtVerdict.Invalid("the token has no expiry ('exp')");
        }

        if (now > DateTimeOffset.FromUnixTimeSeconds(exp) + ClockSkew)
        {
            return JwtVerdict.Invalid($"the token expired at {DateTimeOffset.FromUnixTimeSeconds(exp).ToString("O", CultureInfo.InvariantCulture)}");
        }

        if (Seconds(claims, "nbf") is { } nbf && now + ClockSkew < DateTimeOffset.FromUnixTimeSeconds(nbf))
        {
            return JwtVerdict.Invalid("the token is not valid yet ('nbf')");
        }

        return new JwtVerdict(true, "", Text(claims, "sub"));
    }

    private static bool Verifies(JwksKey key, byte[] signed, byte[] signature)
    {
        try
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = key.Modulus, Exponent = key.Exponent });
            return rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) ? seconds : null;
}
