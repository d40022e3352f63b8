using System.Globalization;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Core.Idempotency;

namespace Nimbus.Core.Manifest;

/// <summary>What a deploy changes in a function's <c>async</c> and <c>idempotency</c> settings, one line per setting
/// (<c>async.maximumRetryAttempts: (none) -> 0</c>, <c>idempotency.key: $.orderId -> header:Idempotency-Key</c>), for
/// <c>nimbus plan</c>. A setting left out is shown as absent, not as its default: that is what the manifest says.</summary>
internal static class DeliveryDiff
{
    public static IEnumerable<FieldChange> Changes(FunctionConfig? from, FunctionConfig to)
    {
        var changes = new List<FieldChange>();
        Compare(changes, Fields(from?.Async), Fields(to.Async));
        Compare(changes, Fields(from?.Idempotency), Fields(to.Idempotency));
        return changes;
    }

    private static void Compare(List<FieldChange> changes, IReadOnlyList<(string Field, string? Value)> old, IReadOnlyList<(string Field, string? Value)> @new)
    {
        for (var i = 0; i < old.Count; i++)
        {
            if (old[i].Value != @new[i].Value)
            {
                changes.Add(new FieldChange(old[i].Field, old[i].Value, @new[i].Value));
            }
        }
    }

    private static IReadOnlyList<(string, string?)> Fields(AsyncConfig? config) =>
    [
        ("async.maximumRetryAttempts", Integer(config?.MaximumRetryAttempts)),
        ("async.maximumEventAge", config?.MaximumEventAgeInSeconds is { } age ? Integer(age) + " s" : null),
        ("async.retryDelays", config?.RetryDelaysSeconds is { Count: > 0 } delays
            ? string.Join(", ", delays.Select(d => d.ToString("0.###", CultureInfo.InvariantCulture) + " s"))
            : null),
        ("async.onSuccess", config?.OnSuccess),
        ("async.onFailure", config?.OnFailure),
        ("async.maximumQueueDepth", Integer(config?.MaximumQueueDepth)),
    ];

    private static IReadOnlyList<(string, string?)> Fields(IdempotencyConfig? config) =>
    [
        ("idempotency.key", config is null ? null : config.Key),
        ("idempotency.ttl", config?.TtlSeconds is { } ttl ? ttl.ToString("0.###", CultureInfo.InvariantCulture) + " s" : null),
    ];

    private static string? Integer(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
