namespace Nimbus.Core.Security.SigV4;

/// <summary>
/// The parts of an <c>Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/lambda/aws4_request,
/// SignedHeaders=host;x-amz-date, Signature=hex</c> header.
/// </summary>
public sealed record SigV4Authorization(
    string AccessKeyId,
    string Date,
    string Region,
    string Service,
    IReadOnlyList<string> SignedHeaders,
    string Signature)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";

    /// <summary><c>20150830/us-east-1/service/aws4_request</c>: what the signing key is derived for.</summary>
    public string Scope => $"{Date}/{Region}/{Service}/{Terminator}";

    /// <returns>The parsed header, or null with <paramref name="error"/> saying what is missing or malformed.</returns>
    public static SigV4Authorization? TryParse(string header, out string error)
    {
        header = header.Trim();
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            error = $"Authorization header must start with '{Algorithm} ' (the only signing algorithm supported).";
            return null;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(','))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            switch (key)
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        var missing = new[] { ("Credential", credential), ("SignedHeaders", signedHeaders), ("Signature", signature) }
            .Where(p => string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1).ToArray();
        if (missing.Length > 0)
        {
            error = $"Authorization header requires {string.Join(", ", missing.Select(m => $"'{m}'"))} parameter{(missing.Length == 1 ? "" : "s")}.";
            return null;
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope.Any(string.IsNullOrEmpty) || scope[4] != Terminator || !IsDate(scope[1]))
        {
            error = $"Credential '{credential}' is malformed: expected ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/{Terminator}.";
            return null;
        }

        if (signature!.Length != 64 || !signature.All(char.IsAsciiHexDigitLower))
        {
            error = "Signature must be 64 lowercase hexadecimal digits.";
            return null;
        }

        var headers = signedHeaders!.Split(';');
        if (headers.Any(h => h.Length == 0 || h != h.ToLowerInvariant()))
        {
            error = $"SignedHeaders '{signedHeaders}' must be lowercase header names separated by ';'.";
            return null;
        }

        error = "";
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], headers, signature);
    }

    private static bool IsDate(string text) => text.Length == 8 && text.All(char.IsAsciiDigit);
}
