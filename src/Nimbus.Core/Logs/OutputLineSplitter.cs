using System.Globalization;
using System.Text;

namespace Nimbus.Core.Logs;

/// <summary>
/// Cuts a worker's output stream (UTF-8 bytes, in chunks as the pipe delivers them) into log lines on '\n' only: Lambda's
/// runtimes write a multi-line message as one line with '\r' between its lines, and it must stay one record. A line
/// longer than <see cref="MaxLineBytes"/> keeps its first bytes and ends with "… [truncated: N bytes]"; the rest is
/// counted, never buffered, so a worker that prints a gigabyte without a newline costs the platform one bounded buffer.
/// </summary>
public sealed class OutputLineSplitter
{
    /// <summary>The default cap of one record, as Lambda's own runtimes cap a log event at 256 KB.</summary>
    public const int DefaultMaxLineBytes = 256 * 1024;

    private const int InitialCapacity = 1024;
    private readonly Action<string> _onLine;
    private byte[] _line = new byte[InitialCapacity];
    private int _length;
    private long _dropped;
    private bool _droppedEndsWithCarriageReturn;

    /// <param name="onLine">Receives each complete line, without its '\n' (and without a '\r' before it).</param>
    /// <param name="maxLineBytes">The most bytes of one line that are kept.</param>
    public OutputLineSplitter(Action<string> onLine, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 4); // room for one whole UTF-8 character
        _onLine = onLine;
        MaxLineBytes = maxLineBytes;
    }

    public int MaxLineBytes { get; }

    /// <summary>The bytes buffered for the line not yet ended: never more than <see cref="MaxLineBytes"/>.</summary>
    public int BufferedBytes => _length;

    /// <summary>Takes the next chunk of output; emits every line it completes.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            Append(part);
            if (newline < 0)
            {
                return;
            }

            Emit();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>The stream ended: emits the unterminated last line, if any.</summary>
    public void Complete()
    {
        if (_length > 0 || _dropped > 0)
        {
            Emit();
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (part.IsEmpty)
        {
            return;
        }

        var room = MaxLineBytes - _length;
        var kept = Math.Min(room, part.Length);
        if (kept > 0)
        {
            if (_length + kept > _line.Length)
            {
                // Grow only as far as a line needs: most workers never write long lines.
                Array.Resize(ref _line, Math.Min(MaxLineBytes, Math.Max(_line.Length * 2, _length + kept)));
            }

            part[..kept].CopyTo(_line.AsSpan(_length));
            _length += kept;
        }

        if (kept < part.Length)
        {
            _dropped += part.Length - kept;
            _droppedEndsWithCarriageReturn = part[^1] == (byte)'\r';
        }
    }

    private void Emit()
    {
        var kept = _line.AsSpan(0, _length);
        var dropped = _dropped;
        if (dropped == 0)
        {
            if (kept.Length > 0 && kept[^1] == (byte)'\r')
            {
                kept = kept[..^1]; // a CRLF line ending
            }
        }
        else
        {
            if (_droppedEndsWithCarriageReturn)
            {
                dropped--; // the CR of a CRLF ending is not content that was lost
            }

            // Cut on a character boundary: the bytes of a character split by the cap count as dropped.
            var whole = WholeCharactersLength(kept);
            dropped += kept.Length - whole;
            kept = kept[..whole];
        }

        var text = Encoding.UTF8.GetString(kept);
        if (dropped > 0)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{text}… [truncated: {dropped} bytes]");
        }

        _length = 0;
        _dropped = 0;
        _droppedEndsWithCarriageReturn = false;

        _onLine(text);
    }

    /// <summary>The length of the longest prefix that does not end inside a UTF-8 sequence.</summary>
    private static int WholeCharactersLength(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 4; i--)
        {
            var b = bytes[i];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: the sequence starts further back
            }

            var sequenceLength = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return i + sequenceLength <= bytes.Length ? bytes.Length : i;
        }

        return bytes.Length;
    }
}
