using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Nimbus.Functions.Logging;

/// <summary>Serialises log records as JSON lines onto one output stream, one write per line.</summary>
/// <remarks>
/// Built before the first event, so it defers its JSON machinery (the writer, its encoder, the field serializer's
/// options) to the first record: a function that logs nothing at start does not pay for it in its cold start.
/// </remarks>
internal sealed class JsonLogWriter
{
    private readonly Stream _output;
    private readonly TimeProvider _timeProvider;
    private readonly FunctionLogLevel _minimumLevel;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private Utf8JsonWriter? _writer;

    public JsonLogWriter(Stream output, TimeProvider timeProvider, FunctionLogLevel minimumLevel)
    {
        _output = output;
        _timeProvider = timeProvider;
        _minimumLevel = minimumLevel;
    }

    public static FunctionLogLevel ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "DEBUG" or "TRACE" => FunctionLogLevel.Debug,
        "WARN" or "WARNING" => FunctionLogLevel.Warn,
        "ERROR" or "FATAL" => FunctionLogLevel.Error,
        _ => FunctionLogLevel.Info,
    };

    public void Write(FunctionLogLevel level, string? requestId, string message, object? fields)
    {
        if (level < _minimumLevel)
        {
            return;
        }

        // Serialise the fields outside the lock: it is the slow part and may run user code (property getters).
        JsonElement? fieldsElement = fields switch
        {
            null => null,
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(fields, fields.GetType(), FieldOptions.Web),
        };

        var time = _timeProvider.GetUtcNow().UtcDateTime;
        Span<char> stamp = stackalloc char[24];
        time.TryFormat(stamp, out var stampLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            var writer = Writer();
            writer.Reset(_buffer);
            writer.WriteStartObject();
            writer.WriteString("time"u8, stamp[..stampLength]);
            writer.WriteString("level"u8, LevelName(level));
            if (requestId is not null)
            {
                writer.WriteString("requestId"u8, requestId);
            }

            writer.WriteString("message"u8, message);
            if (fieldsElement is { } value)
            {
                WriteFields(writer, value);
            }

            writer.WriteEndObject();
            writer.Flush();
            _buffer.Write("\n"u8);
            _output.Write(_buffer.WrittenSpan);
            _output.Flush();
        }
    }

    /// <summary>Writes a line that is already JSON (an Embedded Metric Format line), whatever the log level.</summary>
    public void WriteLine(ReadOnlySpan<byte> json)
    {
        lock (_lock)
        {
            _output.Write(json);
            _output.Write("\n"u8);
            _output.Flush();
        }
    }

    /// <summary>The line writer, made on first use (under the lock).</summary>
    private Utf8JsonWriter Writer() => _writer ??= new Utf8JsonWriter(_buffer, new JsonWriterOptions
    {
        // Relaxed escaping keeps messages readable in a terminal; the line is still valid JSON.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    });

    private static void WriteFields(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                writer.WritePropertyName("fields"u8);
                value.WriteTo(writer);
            }

            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals("time"u8) || property.NameEquals("level"u8) ||
                property.NameEquals("requestId"u8) || property.NameEquals("message"u8))
            {
                continue;
            }

            property.WriteTo(writer);
        }
    }

    /// <summary>The field serializer's options, created when the first record with fields is written.</summary>
    private static class FieldOptions
    {
        public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    }

    private static string LevelName(FunctionLogLevel level) => level switch
    {
        FunctionLogLevel.Debug => "DEBUG",
        FunctionLogLevel.Warn => "WARN",
        FunctionLogLevel.Error => "ERROR",
        _ => "INFO",
    };
}
