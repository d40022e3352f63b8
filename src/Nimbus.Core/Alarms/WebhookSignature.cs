using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Core.Alarms;

/// <summary>
/// How a webhook receiver knows a notification came from this Nimbus: <c>X-Nimbus-Signature: sha256=HEX</c>, the
/// HMAC-SHA256 with the server's webhook secret of <c>{X-Nimbus-Timestamp}.{body}</c> (the timestamp in Unix seconds,
/// so a captured request cannot be replayed later unnoticed). The headers are the async webhooks' own
/// (<see cref="Events.WebhookSignature"/>): one scheme for every webhook Nimbus sends. Pure.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = Events.WebhookSignature.SignatureHeader;
    public const string TimestampHeader = Events.WebhookSignature.TimestampHeader;

    /// <summary>The notification's id, the same on every retry of it: a receiver deduplicates on it.</summary>
    public const string DeliveryHeader = Events.WebhookSignature.DeliveryHeader;

    /// <summary>Only alarm notifications carry it: <c>alarm.transition</c> or <c>alarm.test</c>.</summary>
    public const string EventHeader = "X-Nimbus-Event";

    /// <summary>The async webhooks' signature (<see cref="Events.WebhookSignature"/>) over the UTF-8 body.</summary>
    public static string Compute(byte[] secret, long unixSeconds, string body) =>
        Events.WebhookSignature.Sign(secret, unixSeconds, Encoding.UTF8.GetBytes(body));

    /// <summary>Constant-time check of a received signature.</summary>
    public static bool Verify(byte[] secret, long unixSeconds, string body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(signature));
}
