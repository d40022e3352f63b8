using System.Text.Json;

namespace Nimbus.Core.Security.Jwt;

/// <summary>Reads the RSA keys of a JWKS document (<c>{"keys":[{"kty":"RSA","kid":…,"n":…,"e":…}]}</c>).</summary>
public static class JwksParser
{
    /// <returns>The RSA signing keys (other key types are skipped), or null with <paramref name="error"/>.</returns>
    public static IReadOnlyList<JwksKey>? TryParse(string json, out string error)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                error = "a JWKS document must be an object with a 'keys' array";
                return null;
            }

            var result = new List<JwksKey>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || Text(key, "kty") != "RSA" || Text(key, "use") is { } use && use != "sig")
                {
                    continue;
                }

                if (Text(key, "n") is not { } n || Text(key, "e") is not { } e
                    || Base64Url.TryDecode(n) is not { } modulus || Base64Url.TryDecode(e) is not { } exponent)
                {
                    error = "an RSA key of the JWKS lacks a valid 'n' or 'e'";
                    return null;
                }

                result.Add(new JwksKey(Text(key, "kid"), modulus, exponent));
            }

            error = "";
            return result;
        }
        catch (JsonException ex)
        {
            error = $"the JWKS document is not JSON: {ex.Message}";
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
