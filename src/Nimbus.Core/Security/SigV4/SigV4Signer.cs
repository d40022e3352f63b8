using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Core.Security.SigV4;

/// <summary>The string to sign and the HMAC-SHA256 key chain of Signature Version 4.</summary>
public static class SigV4Signer
{
    /// <summary>Hex SHA-256 of an empty body, the payload hash of every request without one.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{SigV4Authorization.Algorithm}\n{amzDate}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>HMAC chain: "AWS4"+secret → date → region → service → "aws4_request".</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, SigV4Authorization.Terminator);
    }

    public static string Signature(byte[] signingKey, string stringToSign) => Convert.ToHexStringLower(Hmac(signingKey, stringToSign));

    public static string HashHex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// Signs <paramref name="request"/> over <paramref name="signedHeaders"/> (lowercase, sorted, all present in the
    /// request) and returns the <c>Authorization</c> header value; <paramref name="amzDate"/> is <c>yyyyMMddTHHmmssZ</c>.
    /// </summary>
    public static string Authorization(SigV4Request request, IReadOnlyList<string> signedHeaders, string accessKeyId, string secretAccessKey,
        string amzDate, string region, string service)
    {
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/{SigV4Authorization.Terminator}";
        var canonical = SigV4Canonicalizer.CanonicalRequest(request, signedHeaders);
        var signature = Signature(SigningKey(secretAccessKey, date, region, service), StringToSign(amzDate, scope, canonical));
        return $"{SigV4Authorization.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
