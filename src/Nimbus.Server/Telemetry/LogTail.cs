using System.Text;

namespace Nimbus.Server.Telemetry;

/// <summary>The log lines of one invocation, kept only when the caller asked for them (Lambda's <c>X-Amz-Log-Type: Tail</c>).</summary>
public sealed class LogTail
{
    public const int MaxBytes = 4096;
    private readonly StringBuilder _text = new();

    public void Append(string line)
    {
        lock (_text)
        {
            _text.Append(line).Append('\n');
            // Keep a bounded window; the caller only ever gets the last 4 KB.
            if (_text.Length > MaxBytes * 4)
            {
                _text.Remove(0, _text.Length - (MaxBytes * 2));
            }
        }
    }

    /// <summary>The last 4 KB (of UTF-8) of the invocation's log.</summary>
    public string Text
    {
        get
        {
            string all;
            lock (_text)
            {
                all = _text.ToString();
            }

            var bytes = Encoding.UTF8.GetBytes(all);
            if (bytes.Length <= MaxBytes)
            {
                return all;
            }

            var start = bytes.Length - MaxBytes;
            while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
            {
                start++; // do not cut a UTF-8 sequence in half
            }

            return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        }
    }
}
