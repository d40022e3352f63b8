using System.Globalization;
using System.Text.Json;

namespace Nimbus.Core.Tracing;

/// <summary>
/// Writes spans as an OTLP/HTTP JSON trace export (<c>ExportTraceServiceRequest</c>), the body of
/// <c>POST {endpoint}/v1/traces</c>: one resource per service (the platform's spans under <c>service.name=nimbus</c>,
/// function code's under the service name it reported, else the function's name), ids as hex, times as nanosecond
/// strings. The reverse of <see cref="OtlpJsonSpans"/>.
/// </summary>
public static class OtlpJsonTraceWriter
{
    public const string PlatformServiceName = "nimbus";
    public const string ScopeName = "Nimbus.Tracing";
    private const string ServiceNameKey = "service.name";

    public static byte[] Write(IReadOnlyList<SpanRecord> spans)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, spans);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter json, IReadOnlyList<SpanRecord> spans)
    {
        json.WriteStartObject();
        json.WriteStartArray("resourceSpans");
        foreach (var service in spans.GroupBy(ServiceName, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteStartObject("resource");
            json.WriteStartArray("attributes");
            WriteAttribute(json, ServiceNameKey, service.Key);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("scopeSpans");
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString("name", ScopeName);
            json.WriteEndObject();
            json.WriteStartArray("spans");
            foreach (var span in service)
            {
                WriteSpan(json, span);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>OpenTelemetry's <c>SpanKind</c> number for a kind name (<c>Internal</c> = 1 when unknown).</summary>
    public static int KindNumber(string kind) => kind switch
    {
        "Server" => 2,
        "Client" => 3,
        "Producer" => 4,
        "Consumer" => 5,
        _ => 1,
    };

    private static string ServiceName(SpanRecord span) =>
        span.Origin == SpanRecord.PlatformOrigin
            ? PlatformServiceName
            : span.Attributes.TryGetValue(ServiceNameKey, out var name) && name is string { Length: > 0 } text
                ? text
                : span.FunctionName ?? PlatformServiceName;

    private static void WriteSpan(Utf8JsonWriter json, SpanRecord span)
    {
        json.WriteStartObject();
        json.WriteString("traceId", span.TraceId);
        json.WriteString("spanId", span.SpanId);
        if (span.ParentSpanId is { Length: > 0 } parent)
        {
            json.WriteString("parentSpanId", parent);
        }

        json.WriteString("name", span.Name);
        json.WriteNumber("kind", KindNumber(span.Kind));
        var startNs = (span.Start - DateTimeOffset.UnixEpoch).Ticks * 100;
        var endNs = startNs + (long)Math.Round(span.DurationMs * 1_000_000.0);
        json.WriteString("startTimeUnixNano", startNs.ToString(CultureInfo.InvariantCulture));
        json.WriteString("endTimeUnixNano", endNs.ToString(CultureInfo.InvariantCulture));
        json.WriteStartArray("attributes");
        foreach (var (key, value) in span.Attributes)
        {
            if (value is not null && !(key == ServiceNameKey && span.Origin == SpanRecord.FunctionOrigin))
            {
                WriteAttribute(json, key, value);
            }
        }

        if (span.FunctionName is { } function && !span.Attributes.ContainsKey(SpanNames.FaasName))
        {
            WriteAttribute(json, SpanNames.FaasName, function);
        }

        json.WriteEndArray();
        json.WriteStartObject("status");
        json.WriteNumber("code", span.Error ? 2 : 0);
        if (span.StatusMessage is { } message)
        {
            json.WriteString("message", message);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter json, string key, object value)
    {
        json.WriteStartObject();
        json.WriteString("key", key);
        json.WriteStartObject("value");
        switch (value)
        {
            case string text:
                json.WriteString("stringValue", text);
                break;
            case bool flag:
                json.WriteBoolean("boolValue", flag);
                break;
            case int or long or short or byte or uint:
                // proto3's JSON mapping writes 64-bit integers as strings.
                json.WriteString("intValue", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumber("doubleValue", Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                WriteElement(json, element);
                break;
            default:
                json.WriteString("stringValue", Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Attributes read back from the store are JSON values.</summary>
    private static void WriteElement(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                json.WriteBoolean("boolValue", element.ValueKind == JsonValueKind.True);
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var whole):
                json.WriteString("intValue", whole.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number:
                json.WriteNumber("doubleValue", element.GetDouble());
                break;
            case JsonValueKind.String:
                json.WriteString("stringValue", element.GetString());
                break;
            default:
                json.WriteString("stringValue", element.GetRawText());
                break;
        }
    }
}
