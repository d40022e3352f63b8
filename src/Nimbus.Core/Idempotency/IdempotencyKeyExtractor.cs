using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Idempotency;

/// <summary>
/// Reads an invocation's idempotency key from its event or headers. A string value is its text; any other JSON value
/// (number, object, array, true/false) is its raw JSON text, so <c>7</c> and <c>"7"</c> are one key (an order id one
/// client sends as a number and another as a string is still one order). A missing member,
/// <c>null</c>, an event that is not JSON or a missing header give no key: the invocation then runs without idempotency.
/// </summary>
public static class IdempotencyKeyExtractor
{
    /// <param name="header">Looks a request header up by name (case-insensitive); null when there is none.</param>
    public static string? Extract(IdempotencyKeySource source, ReadOnlySpan<byte> payload, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(header);
        if (source.Header is { } name)
        {
            return header(name) is { Length: > 0 } value ? value : null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var element = document.RootElement;
            foreach (var step in source.Path)
            {
                if (step is string member && element.ValueKind == JsonValueKind.Object && element.TryGetProperty(member, out var child))
                {
                    element = child;
                }
                else if (step is int index && element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength())
                {
                    element = element[index];
                }
                else
                {
                    return null;
                }
            }

            return element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => element.GetString(),
                _ => element.GetRawText(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What the store keeps instead of the key itself: the SHA-256 of the key (hex), so a record has a fixed size and the
    /// store holds no customer data from the event.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
