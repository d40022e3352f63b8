using System.IO.Pipes;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Reads a worker's stdout or stderr and hands it on line by line (cut by <see cref="OutputLineSplitter"/>: on '\n'
/// only, each line capped at <see cref="MaxLineBytes"/>). What it holds at any time is one read buffer and at most one
/// capped line, however much the worker prints.
/// </summary>
public static class WorkerOutputPump
{
    /// <summary>A longer line keeps its first bytes and says how many were cut, so one line is one bounded record.</summary>
    public const int MaxLineBytes = OutputLineSplitter.DefaultMaxLineBytes;

    private const int ReadBufferSize = 16 * 1024;

    /// <summary>The pipe behind a process's output stream, to ask how much waits unread (null where it is not a pipe).</summary>
    public static System.Runtime.InteropServices.SafeHandle? PipeOf(Stream stream) => (stream as PipeStream)?.SafePipeHandle;

    public static async Task PumpAsync(Stream stream, Instance instance, Action<string> onLine)
    {
        var buffer = new byte[ReadBufferSize];
        var splitter = new OutputLineSplitter(onLine, MaxLineBytes);
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
                splitter.Write(buffer.AsSpan(0, read));
            }
            finally
            {
                instance.Logs.ChunkFinished();
            }
        }

        splitter.Complete();
    }
}
