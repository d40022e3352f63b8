using System.Text.Json.Serialization;

namespace Nimbus.Core.Idempotency;

/// <summary>
/// A function's built-in idempotency (<c>idempotency: {key, ttl}</c> in the manifest). Immutable. Invocations whose key
/// has a completed record younger than the TTL get the stored response without running the function.
/// </summary>
public sealed record IdempotencyConfig
{
    public const double DefaultTtlSeconds = 3600;

    /// <summary>Where the key is read: a JSON path into the event (<c>$.orderId</c>) or <c>header:NAME</c>.</summary>
    public string Key { get; init; } = "";

    /// <summary>How long a completed result is replayed; null is one hour.</summary>
    public double? TtlSeconds { get; init; }

    [JsonIgnore]
    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds ?? DefaultTtlSeconds);
}
