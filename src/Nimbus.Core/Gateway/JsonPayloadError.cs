using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Gateway;

/// <summary>
/// Checks that an invoke payload is one JSON value and, when it is not, says where and what in plain words, as
/// Lambda does ("Unrecognized token 'x' at line 1, column 1", "Unexpected character (',') at ..."), without the parser's own wording or type names.
/// </summary>
public static class JsonPayloadError
{
    /// <summary>How deeply arrays and objects may nest (System.Text.Json's default).</summary>
    public const int MaxDepth = 64;

    /// <returns>Null when <paramref name="payload"/> is well-formed JSON, else what is wrong and where.</returns>
    public static string? Describe(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
        var depthBefore = 0;
        try
        {
            do
            {
                depthBefore = reader.CurrentDepth;
            }
            while (reader.Read());

            return null;
        }
        catch (JsonException e)
        {
            var offset = Offset(payload, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            return Explain(payload, offset, depthBefore);
        }
    }

    private static string Explain(ReadOnlySpan<byte> payload, int offset, int depthBefore)
    {
        var where = Where(payload, offset);
        if (offset >= payload.Length)
        {
            return $"Unexpected end of input at {where}";
        }

        var b = payload[offset];
        if (b is (byte)'[' or (byte)'{' && depthBefore >= MaxDepth - 1)
        {
            return $"Arrays and objects nest deeper than {MaxDepth} levels at {where}";
        }

        if (!InsideString(payload, offset) && Word(payload, offset) is var (start, length) && length > 0)
        {
            // "name=Ada" or "tru}": a bare word, as Lambda puts it, not the one letter where the parser gave up.
            var word = Encoding.ASCII.GetString(payload.Slice(start, length));
            var at = Where(payload, start);
            return word is "true" or "false" or "null" ? $"Unexpected token '{word}' at {at}" : $"Unrecognized token '{word}' at {at}";
        }

        if (b < 0x20 || b == 0x7F)
        {
            return $"Unexpected control character (U+{b:X4}) at {where}";
        }

        if (b < 0x80)
        {
            return $"Unexpected character ('{(char)b}') at {where}";
        }

        return Rune.DecodeFromUtf8(payload[offset..], out var rune, out _) == System.Buffers.OperationStatus.Done
            ? $"Unexpected character ('{rune}') at {where}"
            : $"Invalid UTF-8 (byte 0x{b:X2}) at {where}";
    }

    /// <summary>Whether <paramref name="offset"/> is within a string (after an opening quote that is not closed yet).</summary>
    private static bool InsideString(ReadOnlySpan<byte> payload, int offset)
    {
        var inside = false;
        for (var i = 0; i < offset; i++)
        {
            if (payload[i] == (byte)'"')
            {
                inside = !inside;
            }
            else if (inside && payload[i] == (byte)'\\')
            {
                i++; // the escaped byte cannot close the string
            }
        }

        return inside;
    }

    /// <summary>The run of ASCII letters at or just before <paramref name="offset"/>, if any.</summary>
    private static (int Start, int Length) Word(ReadOnlySpan<byte> payload, int offset)
    {
        var start = offset;
        while (start > 0 && char.IsAsciiLetter((char)payload[start - 1]))
        {
            start--;
        }

        var end = offset;
        while (end < payload.Length && char.IsAsciiLetter((char)payload[end]))
        {
            end++;
        }

        return (start, end - start);
    }

    /// <summary>The byte offset of a 0-based line (counted in line feeds) and byte position within it.</summary>
    private static int Offset(ReadOnlySpan<byte> payload, long line, long bytePositionInLine)
    {
        var start = 0;
        for (long i = 0; i < line; i++)
        {
            var next = payload[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        return (int)Math.Min(payload.Length, start + bytePositionInLine);
    }

    /// <summary>"line 2, column 5": 1-based, columns counted in characters rather than bytes.</summary>
    private static string Where(ReadOnlySpan<byte> payload, int offset)
    {
        var before = payload[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        foreach (var b in before[lineStart..])
        {
            // Count the first byte of each UTF-8 sequence, not its continuation bytes.
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}");
    }
}
