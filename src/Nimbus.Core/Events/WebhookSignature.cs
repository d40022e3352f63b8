using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Core.Events;

/// <summary>
/// The signature of a webhook delivery: <c>X-Nimbus-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 with the
/// function's webhook secret of <c>&lt;timestamp&gt;.&lt;body&gt;</c>, where the timestamp (Unix seconds) is the
/// <c>X-Nimbus-Timestamp</c> header. Signing the timestamp with the body lets a receiver refuse an old delivery
/// replayed with a fresh timestamp. Pure.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Nimbus-Signature";
    public const string TimestampHeader = "X-Nimbus-Timestamp";
    public const string DeliveryHeader = "X-Nimbus-Delivery-Id";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Sign(Encoding.UTF8.GetBytes(secret), timestamp, body);
    }

    /// <summary>The same signature with the key as bytes (alarm notifications sign with the server's key file).</summary>
    public static string Sign(ReadOnlySpan<byte> key, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));

    /// <summary>A new secret: 32 random bytes, hex.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
