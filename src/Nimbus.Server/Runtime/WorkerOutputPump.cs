using System.IO.Pipes;
using System.Text;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Reads a worker's stdout or stderr and cuts it into lines on '\n' only: Lambda's runtimes write a multi-line message
/// as one line with '\r' between its lines, and that record must stay one record.
/// </summary>
public static class WorkerOutputPump
{
    /// <summary>A longer line is cut, so a worker that never writes a newline cannot grow the platform's memory.</summary>
    public const int MaxLineChars = 256 * 1024;

    /// <summary>The pipe behind a process's output stream, to ask how much waits unread (null where it is not a pipe).</summary>
    public static System.Runtime.InteropServices.SafeHandle? PipeOf(Stream stream) => (stream as PipeStream)?.SafePipeHandle;

    public static async Task PumpAsync(Stream stream, Instance instance, Action<string> onLine)
    {
        var buffer = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        var line = new StringBuilder();
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                break; // the process died; its exit is reported separately
            }

            if (read == 0)
            {
                break;
            }

            instance.Logs.ChunkStarted();
            try
            {
                var count = decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                var start = 0;
                for (var i = 0; i < count; i++)
                {
                    if (chars[i] == '\n')
                    {
                        line.Append(chars, start, i - start);
                        Emit(line, onLine);
                        start = i + 1;
                    }
                }

                line.Append(chars, start, count - start);
                if (line.Length >= MaxLineChars)
                {
                    Emit(line, onLine);
                }
            }
            finally
            {
                instance.Logs.ChunkFinished();
            }
        }

        if (line.Length > 0)
        {
            Emit(line, onLine);
        }
    }

    private static void Emit(StringBuilder line, Action<string> onLine)
    {
        var length = line.Length > 0 && line[^1] == '\r' ? line.Length - 1 : line.Length; // a CRLF line ending
        var text = line.ToString(0, length);
        line.Clear();
        onLine(text);
    }
}
