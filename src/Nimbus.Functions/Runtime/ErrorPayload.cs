using System.Buffers;
using System.Text.Json;

namespace Nimbus.Functions.Runtime;

/// <summary>Lambda's error document: <c>{"errorMessage","errorType","stackTrace":[…],"cause":{…}}</c>.</summary>
internal static class ErrorPayload
{
    private const int MaxCauseDepth = 5;

    /// <summary>The error type reported for an exception: its full type name.</summary>
    public static string ErrorType(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    public static ReadOnlyMemory<byte> Write(Exception exception, string? errorTypeOverride = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteException(writer, exception, errorTypeOverride, depth: 0);
        }

        return buffer.WrittenMemory;
    }

    private static void WriteException(Utf8JsonWriter writer, Exception exception, string? errorType, int depth)
    {
        writer.WriteStartObject();
        writer.WriteString("errorMessage"u8, exception.Message);
        writer.WriteString("errorType"u8, errorType ?? ErrorType(exception));
        writer.WriteStartArray("stackTrace"u8);
        if (exception.StackTrace is { } stack)
        {
            foreach (var range in stack.AsSpan().Split('\n'))
            {
                var line = stack.AsSpan(range).Trim();
                if (!line.IsEmpty)
                {
                    writer.WriteStringValue(line);
                }
            }
        }

        writer.WriteEndArray();
        if (exception.InnerException is { } inner && depth < MaxCauseDepth)
        {
            writer.WritePropertyName("cause"u8);
            WriteException(writer, inner, errorType: null, depth + 1);
        }

        writer.WriteEndObject();
    }
}
