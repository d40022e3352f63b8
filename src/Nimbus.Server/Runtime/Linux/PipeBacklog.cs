using System.IO.Pipes;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>How many bytes a worker wrote to its stdout or stderr pipe that Nimbus has not read yet.</summary>
internal static class PipeBacklog
{
    /// <returns>The unread byte count, or 0 when it cannot be known (not Linux, not a pipe, already closed).</returns>
    public static unsafe int UnreadBytes(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return 0;
        }

        try
        {
            int count;
            return LibC.IoctlInt((int)pipe.SafePipeHandle.DangerousGetHandle(), LibC.FIONREAD, &count) == 0 ? count : 0;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            return 0;
        }
    }
}
