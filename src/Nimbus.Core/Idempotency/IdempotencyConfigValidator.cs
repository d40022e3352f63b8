using Nimbus.Core.Functions;

namespace Nimbus.Core.Idempotency;

/// <summary>Checks a function's idempotency settings. Pure; field names are the API's (<c>idempotency.key</c>).</summary>
public static class IdempotencyConfigValidator
{
    public const double MinTtlSeconds = 1;

    /// <summary>Seven days: long enough for any replay window, short enough that records do not pile up forever.</summary>
    public const double MaxTtlSeconds = 7 * 24 * 3600;

    public static IReadOnlyList<ValidationError> Validate(IdempotencyConfig? config)
    {
        var errors = new List<ValidationError>();
        if (config is null)
        {
            return errors;
        }

        if (string.IsNullOrWhiteSpace(config.Key))
        {
            errors.Add(new("idempotency.key", "is required: a JSON path into the event such as $.orderId, or header:NAME"));
        }
        else if (!IdempotencyKeySource.TryParse(config.Key, out _, out var problem))
        {
            errors.Add(new("idempotency.key", problem));
        }

        if (config.TtlSeconds is { } ttl && (!double.IsFinite(ttl) || ttl < MinTtlSeconds || ttl > MaxTtlSeconds))
        {
            errors.Add(new("idempotency.ttl", $"must be between {MinTtlSeconds} second and {MaxTtlSeconds / 86400} days, was {ttl} s"));
        }

        return errors;
    }
}
