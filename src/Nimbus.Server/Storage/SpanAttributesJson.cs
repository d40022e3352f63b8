using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Nimbus.Server.Storage;

/// <summary>
/// A span's attributes as the JSON text stored with it, exactly as <c>JsonSerializer.Serialize</c> writes the dictionary
/// (same escaping, same number format), but the values the platform's spans hold (strings, booleans, integers, doubles)
/// are written directly instead of through the serializer's polymorphic converter for <see cref="object"/>, which took
/// most of the span insert's CPU. Any other value goes through the serializer.
/// </summary>
internal static class SpanAttributesJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static string Serialize(IReadOnlyDictionary<string, object?> attributes)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case bool flag:
                        writer.WriteBooleanValue(flag);
                        break;
                    case int number:
                        writer.WriteNumberValue(number);
                        break;
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    case double number when double.IsFinite(number):
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        JsonSerializer.Serialize(writer, value, value.GetType());
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
