using System.Text.Json;

namespace Nimbus.Core.Queues;

/// <summary>
/// Reads a consumer's answer with <c>ReportBatchItemFailures</c> as Lambda does. Complete success: an empty or null
/// response, no <c>batchItemFailures</c>, or an empty or null list. Complete failure: invalid JSON, or an item whose
/// <c>itemIdentifier</c> is missing, empty, not text, or not a message of the batch. Otherwise the named messages failed.
/// </summary>
public static class BatchResponse
{
    /// <returns>The failed message ids; null when the whole batch failed.</returns>
    public static IReadOnlySet<string>? FailedItems(ReadOnlySpan<byte> response, IReadOnlyCollection<string> batchMessageIds)
    {
        ArgumentNullException.ThrowIfNull(batchMessageIds);
        var none = new HashSet<string>(StringComparer.Ordinal);
        if (response.Trim(" \t\r\n"u8).IsEmpty)
        {
            return none;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return none;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batchItemFailures", out var failures)
                || failures.ValueKind == JsonValueKind.Null)
            {
                return root.ValueKind == JsonValueKind.Object ? none : null;
            }

            if (failures.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = batchMessageIds as IReadOnlySet<string> ?? new HashSet<string>(batchMessageIds, StringComparer.Ordinal);
            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in failures.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("itemIdentifier", out var id)
                    || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } text || !ids.Contains(text))
                {
                    return null;
                }

                failed.Add(text);
            }

            return failed;
        }
    }
}
