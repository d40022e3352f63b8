using System.Net;
using System.Text.Json;

namespace Nimbus.Cli.Api;

/// <summary>Turns an error answer (RFC 7807 ProblemDetails, or anything else) into one readable line.</summary>
internal static class ProblemReader
{
    public static string Describe(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var fallback = $"HTTP {(int)status} {reasonPhrase ?? status.ToString()}";
        if (string.IsNullOrWhiteSpace(body))
        {
            return fallback;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return fallback;
            }

            var title = String(root, "title");
            var detail = String(root, "detail");
            var parts = new List<string>();
            // A detail that already starts with the title ("Function not found: x") says it all.
            if (title is not null && (detail is null || !detail.StartsWith(title, StringComparison.Ordinal)))
            {
                parts.Add(title);
            }

            if (detail is not null)
            {
                parts.Add(detail);
            }

            // Field errors are listed only when the detail does not already spell them out.
            if (detail is null && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.Add(string.Join("; ", errors.EnumerateObject().Select(FieldErrors)));
            }

            return parts.Count == 0 ? fallback : string.Join(": ", parts);
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    private static string FieldErrors(JsonProperty field)
    {
        var messages = field.Value.ValueKind == JsonValueKind.Array
            ? field.Value.EnumerateArray().Select(m => m.ToString())
            : [field.Value.ToString()];
        return $"{field.Name}: {string.Join(", ", messages)}";
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
