using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>How many bytes wait unread in a pipe, so the platform can tell when a worker's output has been fully read.</summary>
public static class PipeBacklog
{
    /// <returns>The unread byte count; 0 when the pipe is closed or the count cannot be had.</returns>
    public static unsafe int Available(SafeHandle? handle)
    {
        if (handle is null || handle.IsInvalid || handle.IsClosed || !OperatingSystem.IsLinux())
        {
            return 0;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int count;
            return LibC.IoctlInt((int)handle.DangerousGetHandle(), LibC.FIONREAD, &count) == 0 ? count : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
