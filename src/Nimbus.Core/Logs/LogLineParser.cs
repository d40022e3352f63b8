using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nimbus.Core.Logs;

/// <summary>
/// Reads one stdout/stderr line of a worker by its structure, never by guessing at words in it. Recognised:
/// <list type="bullet">
/// <item>a JSON object (Nimbus's .NET logger, pino, python-json-logger, Lambda's JSON log format, whose
/// <c>message</c> may itself be an object, and whose errors carry <c>errorType</c>/<c>errorMessage</c>);</item>
/// <item>Lambda's Node (and .NET) text format <c>time\trequestId\tLEVEL\tmessage</c>;</item>
/// <item>Lambda's Python text format <c>[LEVEL]\ttime\trequestId\tmessage</c>, and <c>[LEVEL] message</c>;</item>
/// <item>anything else: the line itself, at INFO.</item>
/// </list>
/// In the text formats, a message that is a JSON object (a structured logger printing through <c>console.log</c> or
/// <c>print</c>) is read like a JSON line: its keys become fields, and its own level, when it has one, wins over the
/// prefix's (which only says which console method printed it). The prefix's request id and time win over the object's.
/// Lambda's runtimes write a multi-line message as one line with '\r' between its lines; text messages get their '\n'
/// back. JSON messages are kept exactly as encoded.
/// </summary>
public static class LogLineParser
{
    private static readonly JsonWriterOptions s_fieldsWriterOptions = new()
    {
        // Fields are stored and shown, never embedded in HTML unescaped; keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ParsedLogLine Parse(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd("\r\n");
        var trimmed = line.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}' && TryParseJson(trimmed, out var json))
        {
            return json;
        }

        if (line.Length > 2 && line[0] == '[' && TryParsePython(line, out var python))
        {
            return python;
        }

        if (line.Length > 20 && char.IsAsciiDigit(line[0]) && TryParseTabbed(line, out var tabbed))
        {
            return tabbed;
        }

        return new ParsedLogLine(LogLevels.Info, null, TextMessage(line), null, null);
    }

    // time \t requestId \t LEVEL \t message (Lambda's Node runtime; the .NET runtime writes the same shape).
    private static bool TryParseTabbed(ReadOnlySpan<char> line, out ParsedLogLine parsed)
    {
        parsed = default;
        if (!TryTakeField(ref line, out var time) || !TryParseTime(time, out var stamp) ||
            !TryTakeField(ref line, out var requestId) || !TryTakeField(ref line, out var level, lastMayEnd: true))
        {
            return false;
        }

        var normalized = LogLevels.Normalize(level);
        if (normalized is null)
        {
            return false;
        }

        parsed = WithMessage(normalized, RequestIdOrNull(requestId), line, stamp);
        return true;
    }

    // [LEVEL] \t time \t requestId \t message (Lambda's Python runtime), or "[LEVEL] message".
    private static bool TryParsePython(ReadOnlySpan<char> line, out ParsedLogLine parsed)
    {
        parsed = default;
        var close = line.IndexOf(']');
        if (close < 2 || close > 12 || close + 1 >= line.Length)
        {
            return false;
        }

        var level = LogLevels.Normalize(line[1..close]);
        var rest = line[(close + 1)..];
        if (level is null || (rest[0] != '\t' && rest[0] != ' '))
        {
            return false;
        }

        if (rest[0] == '\t')
        {
            var fields = rest[1..];
            if (TryTakeField(ref fields, out var time) && TryParseTime(time, out var stamp) &&
                TryTakeField(ref fields, out var requestId))
            {
                parsed = WithMessage(level, RequestIdOrNull(requestId), fields, stamp);
                return true;
            }
        }

        parsed = WithMessage(level, null, rest.TrimStart(), null);
        return true;
    }

    /// <summary>A text-format line: the prefix's level, request id and time, and its message read as JSON when it is an object.</summary>
    private static ParsedLogLine WithMessage(string level, string? requestId, ReadOnlySpan<char> message, DateTimeOffset? time)
    {
        var trimmed = message.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}' && TryReadJson(trimmed, out var json))
        {
            return new ParsedLogLine(json.Level ?? level, requestId ?? json.RequestId, json.Message ?? TextMessage(trimmed), json.FieldsJson, time ?? json.Time);
        }

        return new ParsedLogLine(level, requestId, TextMessage(message), null, time);
    }

    /// <summary>Takes the text up to the next tab off the front of <paramref name="line"/>.</summary>
    private static bool TryTakeField(ref ReadOnlySpan<char> line, out ReadOnlySpan<char> field, bool lastMayEnd = false)
    {
        var tab = line.IndexOf('\t');
        if (tab < 0)
        {
            if (!lastMayEnd)
            {
                field = default;
                return false;
            }

            // "time\tid\tINFO" with nothing after the level: an empty message.
            field = line;
            line = [];
            return true;
        }

        field = line[..tab];
        line = line[(tab + 1)..];
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string? RequestIdOrNull(ReadOnlySpan<char> requestId)
    {
        // Node prints "undefined" and Python an empty field for lines written outside an invocation.
        requestId = requestId.Trim();
        return requestId.IsEmpty || requestId.SequenceEqual("undefined") || requestId.SequenceEqual("null")
            ? null
            : requestId.ToString();
    }

    private static string TextMessage(ReadOnlySpan<char> message) =>
        message.Contains('\r') ? message.ToString().Replace('\r', '\n') : message.ToString();

    private static bool TryParseJson(ReadOnlySpan<char> line, out ParsedLogLine parsed)
    {
        parsed = default;
        if (!TryReadJson(line, out var json))
        {
            return false;
        }

        parsed = new ParsedLogLine(json.Level ?? LogLevels.Info, json.RequestId, json.Message ?? line.ToString(), json.FieldsJson, json.Time);
        return true;
    }

    private static bool TryReadJson(ReadOnlySpan<char> line, out JsonLine parsed)
    {
        parsed = default;
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(line, bytes);
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            parsed = FromJsonObject(document.RootElement);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>What a JSON object says; null where it does not say it.</summary>
    private readonly record struct JsonLine(string? Level, string? RequestId, string? Message, string? FieldsJson, DateTimeOffset? Time);

    private static JsonLine FromJsonObject(JsonElement root)
    {
        string? level = null;
        string? requestId = null;
        string? message = null;
        DateTimeOffset? time = null;
        JsonElement? messageObject = null;
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_fieldsWriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                // The first key of each meaning wins; a value that cannot be read as what its key says stays a field.
                var consumed = KeyKind(property.Name) switch
                {
                    Key.Level when level is null => TryReadLevel(property.Value, out level),
                    // Lambda's JSON format logs an object as the value of "message": its keys are the fields.
                    Key.Message when message is null && messageObject is null && property.Value.ValueKind == JsonValueKind.Object =>
                        TakeObject(property.Value, out messageObject),
                    Key.Message when message is null => TryReadMessage(property.Value, out message),
                    Key.RequestId when requestId is null => TryReadRequestId(property.Value, out requestId),
                    Key.Time when time is null => TryReadTime(property.Value, out time),
                    _ => false,
                };
                if (!consumed && fieldNames.Add(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            if (messageObject is { } inner)
            {
                foreach (var property in inner.EnumerateObject())
                {
                    if (message is null && KeyKind(property.Name) == Key.Message && TryReadMessage(property.Value, out message))
                    {
                        continue;
                    }

                    if (fieldNames.Add(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndObject();
        }

        message ??= ErrorMessage(messageObject ?? root) ?? messageObject?.GetRawText();
        return new JsonLine(level, requestId, message, fieldNames.Count == 0 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan), time);
    }

    private static bool TakeObject(JsonElement value, out JsonElement? taken)
    {
        taken = value;
        return true;
    }

    /// <summary>"Type: message" of an error as Lambda's runtimes log it (<c>errorType</c>, <c>errorMessage</c>), else null.</summary>
    private static string? ErrorMessage(JsonElement element)
    {
        if (!element.TryGetProperty("errorMessage", out var errorMessage) || errorMessage.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return element.TryGetProperty("errorType", out var errorType) && errorType.ValueKind == JsonValueKind.String
            ? $"{errorType.GetString()}: {errorMessage.GetString()}"
            : errorMessage.GetString();
    }

    private enum Key
    {
        Other,
        Level,
        Message,
        RequestId,
        Time,
    }

    private static Key KeyKind(string name) => name.ToUpperInvariant() switch
    {
        "LEVEL" or "LEVELNAME" or "LOG_LEVEL" => Key.Level,
        "MESSAGE" or "MSG" => Key.Message,
        "REQUESTID" or "AWSREQUESTID" or "AWS_REQUEST_ID" => Key.RequestId,
        "TIME" or "TIMESTAMP" => Key.Time,
        _ => Key.Other,
    };

    private static bool TryReadLevel(JsonElement value, out string? level)
    {
        level = value.ValueKind switch
        {
            JsonValueKind.String => LogLevels.Normalize(value.GetString()),
            JsonValueKind.Number => LogLevels.FromNumber(value.GetDouble()),
            _ => null,
        };
        return level is not null;
    }

    private static bool TryReadMessage(JsonElement value, out string? message)
    {
        message = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
        return message is not null;
    }

    private static bool TryReadRequestId(JsonElement value, out string? requestId)
    {
        requestId = value.ValueKind == JsonValueKind.String ? RequestIdOrNull(value.GetString()) : null;
        return value.ValueKind == JsonValueKind.String;
    }

    private static bool TryReadTime(JsonElement value, out DateTimeOffset? time)
    {
        time = null;
        if (value.ValueKind == JsonValueKind.String && TryParseTime(value.GetString(), out var parsed))
        {
            time = parsed;
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number > 0)
        {
            // pino and bunyan write Unix milliseconds; Python's time.time() writes (fractional) seconds.
            var milliseconds = number > 100_000_000_000 ? number : number * 1000;
            if (milliseconds < 253_402_300_800_000)
            {
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
            }
        }

        return time is not null;
    }
}
