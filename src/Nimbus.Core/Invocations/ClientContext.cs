using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Invocations;

/// <summary>
/// Lambda's <c>ClientContext</c>: base64 of a JSON object (at most 3583 characters) from the caller, handed to the
/// function decoded, as the <c>Lambda-Runtime-Client-Context</c> header of the runtime API.
/// </summary>
public static class ClientContext
{
    public const int MaxEncodedLength = 3583;

    /// <returns>
    /// The JSON object re-serialised on one line with non-ASCII characters escaped (so it is a valid HTTP header
    /// value), or null with <paramref name="error"/> when the value is not base64 of a JSON object.
    /// </returns>
    public static string? TryDecode(string encoded, out string error)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            error = $"Client context must be at most {MaxEncodedLength} characters of base64; it has {encoded.Length}.";
            return null;
        }

        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded.Trim(), bytes, out var length))
        {
            error = "Client context must be a valid Base64-encoded JSON object: it is not base64.";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "Client context must be a valid Base64-encoded JSON object: it decodes to JSON that is not an object.";
                return null;
            }

            error = "";
            // The default encoder escapes everything outside ASCII, and a compact document has no line breaks.
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException e)
        {
            error = $"Client context must be a valid Base64-encoded JSON object: {e.Message}";
            return null;
        }
    }

    public static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
}
