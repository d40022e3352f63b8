using System.Text.Json;

namespace Nimbus.Core.Invocations;

/// <summary>Lambda's error JSON: <c>{"errorMessage": "...", "errorType": "...", "stackTrace": [...]}</c>.</summary>
public static class LambdaError
{
    public static byte[] Serialize(string errorType, string errorMessage, IReadOnlyList<string>? stackTrace = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128 + errorMessage.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            if (stackTrace is { Count: > 0 })
            {
                writer.WriteStartArray("stackTrace");
                foreach (var frame in stackTrace)
                {
                    writer.WriteStringValue(frame);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads errorType (and errorMessage) from a worker's error body; tolerant of anything.</summary>
    public static (string? ErrorType, string? ErrorMessage) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            string? type = null, message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("errorType");
                var isMessage = reader.ValueTextEquals("errorMessage");
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && (isType || isMessage))
                {
                    if (isType)
                    {
                        type = reader.GetString();
                    }
                    else
                    {
                        message = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return (type, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
