using System.Globalization;
using System.Text.Json;

namespace Nimbus.Core.Tracing;

/// <summary>
/// Reads an OTLP/HTTP JSON trace export (<c>ExportTraceServiceRequest</c>: <c>resourceSpans[].scopeSpans[].spans[]</c>,
/// ids as hex, times as nanosecond strings) into <see cref="SpanRecord"/>s of one function. Resource attributes
/// (<c>service.name</c>, ...) are kept on each span under their own names unless the span sets them too.
/// </summary>
public static class OtlpJsonSpans
{
    private static readonly string[] s_kinds = ["Internal", "Internal", "Server", "Client", "Producer", "Consumer"];

    /// <summary>The spans, or null with <paramref name="error"/> saying what is wrong with the document.</summary>
    public static IReadOnlyList<SpanRecord>? Parse(ReadOnlySpan<byte> json, string? functionName, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            error = "the body is not JSON: " + ex.Message;
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the body must be an ExportTraceServiceRequest object";
                return null;
            }

            var spans = new List<SpanRecord>();
            if (!document.RootElement.TryGetProperty("resourceSpans", out var resourceSpans) || resourceSpans.ValueKind != JsonValueKind.Array)
            {
                return spans;
            }

            foreach (var resource in resourceSpans.EnumerateArray())
            {
                var resourceAttributes = resource.TryGetProperty("resource", out var r) ? Attributes(r) : [];
                if (!resource.TryGetProperty("scopeSpans", out var scopes) || scopes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var scope in scopes.EnumerateArray())
                {
                    if (!scope.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var span in list.EnumerateArray())
                    {
                        if (ReadSpan(span, functionName, resourceAttributes, out error) is not { } parsed)
                        {
                            return null;
                        }

                        spans.Add(parsed);
                    }
                }
            }

            return spans;
        }
    }

    private static SpanRecord? ReadSpan(JsonElement span, string? functionName, Dictionary<string, object?> resourceAttributes, out string? error)
    {
        error = null;
        var traceId = Text(span, "traceId")?.ToLowerInvariant();
        var spanId = Text(span, "spanId")?.ToLowerInvariant();
        if (traceId is not { Length: 32 } || spanId is not { Length: 16 } || !IsHex(traceId) || !IsHex(spanId))
        {
            error = "every span needs a traceId (32 hex digits) and a spanId (16 hex digits)";
            return null;
        }

        var parent = Text(span, "parentSpanId")?.ToLowerInvariant();
        if (parent is { Length: 0 } || (parent is not null && (parent.Length != 16 || !IsHex(parent))))
        {
            parent = null;
        }

        var startNs = Nanos(span, "startTimeUnixNano");
        var endNs = Nanos(span, "endTimeUnixNano");
        if (startNs is not { } start)
        {
            error = $"span {spanId} has no startTimeUnixNano";
            return null;
        }

        var attributes = Attributes(span);
        foreach (var (key, value) in resourceAttributes)
        {
            attributes.TryAdd(key, value);
        }

        var failed = false;
        string? message = null;
        if (span.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            failed = status.TryGetProperty("code", out var code)
                && ((code.ValueKind == JsonValueKind.Number && code.GetInt32() == 2) || (code.ValueKind == JsonValueKind.String && code.GetString() is "2" or "STATUS_CODE_ERROR"));
            message = Text(status, "message") is { Length: > 0 } m ? m : null;
        }

        var durationMs = endNs is { } end && end > start ? (end - start) / 1_000_000.0 : 0;
        return new SpanRecord(traceId, spanId, parent, Text(span, "name") ?? "", Kind(span), DateTimeOffset.UnixEpoch.AddTicks(start / 100),
            durationMs, functionName, null, failed, message, SpanRecord.FunctionOrigin, attributes);
    }

    private static string Kind(JsonElement span)
    {
        if (!span.TryGetProperty("kind", out var kind))
        {
            return "Internal";
        }

        if (kind.ValueKind == JsonValueKind.Number && kind.TryGetInt32(out var number) && (uint)number < s_kinds.Length)
        {
            return s_kinds[number];
        }

        // The proto3 JSON mapping also allows the enum's name: SPAN_KIND_SERVER.
        return kind.GetString() is { } name && name.StartsWith("SPAN_KIND_", StringComparison.Ordinal) && name.Length > 10
            ? string.Concat(name[10..11], name[11..].ToLowerInvariant())
            : "Internal";
    }

    private static Dictionary<string, object?> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("attributes", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return attributes;
        }

        foreach (var attribute in list.EnumerateArray())
        {
            if (Text(attribute, "key") is { } key && attribute.TryGetProperty("value", out var value))
            {
                attributes[key] = Value(value);
            }
        }

        return attributes;
    }

    private static object? Value(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "stringValue":
                    return v.GetString();
                case "boolValue":
                    return v.ValueKind == JsonValueKind.True;
                case "intValue":
                    return v.ValueKind == JsonValueKind.Number ? v.GetInt64()
                        : long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
                case "doubleValue":
                    return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
                default:
                    return v.GetRawText();
            }
        }

        return null;
    }

    private static long? Nanos(JsonElement span, string name)
    {
        if (!span.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigitLower);
}
