using System.Buffers;
using System.Text.Json;

namespace Nimbus.Core.Events;

/// <summary>
/// Lambda's invocation record, the event a destination receives: <c>version</c> "1.0", <c>timestamp</c>,
/// <c>requestContext</c>, <c>requestPayload</c>, <c>responseContext</c> and <c>responsePayload</c>. Pure.
/// </summary>
public static class DestinationRecord
{
    /// <param name="functionError">"Unhandled" when the last attempt failed in the function, else null.</param>
    /// <param name="responsePayload">The last attempt's response (or error JSON); empty when there was none.</param>
    public static byte[] Write(
        DateTimeOffset timestamp, string requestId, string functionArn, string condition, int approximateInvokeCount,
        ReadOnlySpan<byte> requestPayload, string? executedVersion, string? functionError, ReadOnlySpan<byte> responsePayload)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + requestPayload.Length + responsePayload.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "1.0");
            writer.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartObject("requestContext");
            writer.WriteString("requestId", requestId);
            writer.WriteString("functionArn", functionArn);
            writer.WriteString("condition", condition);
            writer.WriteNumber("approximateInvokeCount", approximateInvokeCount);
            writer.WriteEndObject();
            writer.WritePropertyName("requestPayload");
            WritePayload(writer, requestPayload);
            writer.WriteStartObject("responseContext");
            writer.WriteNumber("statusCode", 200);
            if (executedVersion is null)
            {
                writer.WriteNull("executedVersion");
            }
            else
            {
                writer.WriteString("executedVersion", executedVersion);
            }

            if (functionError is not null)
            {
                writer.WriteString("functionError", functionError);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("responsePayload");
            WritePayload(writer, responsePayload);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>JSON stays JSON; anything else becomes a string; nothing is null.</summary>
    private static void WritePayload(Utf8JsonWriter writer, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }

        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
            }

            writer.WriteRawValue(payload, skipInputValidation: true);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(payload));
        }
    }
}
