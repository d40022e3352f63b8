using System.Buffers;
using System.Text.Unicode;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Turns the bytes of <c>nimbus.yaml</c> into text. Only UTF-8 is accepted, and strictly: a replacement character
/// would otherwise slip into a handler or an environment value and be deployed without a word.
/// </summary>
public static class ManifestText
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <returns>The text (without a byte order mark), or null with <paramref name="error"/> naming the line, column and byte.</returns>
    public static string? Decode(ReadOnlySpan<byte> bytes, out ManifestError? error)
    {
        error = null;
        var offset = bytes.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var content = bytes[offset..];
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(content.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(content, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                return new string(chars, 0, written);
            }

            error = InvalidSequence(bytes, offset + read);
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static ManifestError InvalidSequence(ReadOnlySpan<byte> bytes, int position)
    {
        var before = bytes[..position];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;

        // The column counts characters, as an editor shows them; everything before the bad byte on its line is valid UTF-8.
        var column = Utf8Length(bytes[lineStart..position]) + 1;
        var badByte = bytes[position];
        return new ManifestError(
            "(encoding)",
            $"not valid UTF-8: byte 0x{badByte:X2} at column {column} (byte {position + 1} of the file) is not part of a UTF-8 character; " +
            "save the file as UTF-8",
            line);
    }

    private static int Utf8Length(ReadOnlySpan<byte> valid)
    {
        var count = 0;
        foreach (var b in valid)
        {
            // Every byte except continuation bytes (10xxxxxx) starts a character.
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
