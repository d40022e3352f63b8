using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>Whether bytes wait unread in a worker's pipes, so the platform can tell when a worker's output has been fully read.</summary>
public static class PipeBacklog
{
    /// <summary>
    /// Whether either pipe has unread bytes, in one <c>poll</c> call (a pipe that is null, closed or at its end counts
    /// as empty). The dispatcher asks this twice per invocation, with nothing pending almost always: one system call
    /// where a FIONREAD on each pipe took two (docs/design/warm-path.md).
    /// </summary>
    public static unsafe bool AnyAvailable(SafeHandle? first, SafeHandle? second)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        bool firstAdded = false, secondAdded = false;
        try
        {
            var fds = stackalloc PollFd[2];
            var count = 0;
            if (Usable(first, ref firstAdded))
            {
                fds[count++] = new PollFd { Fd = (int)first!.DangerousGetHandle(), Events = LibC.POLLIN };
            }

            if (Usable(second, ref secondAdded))
            {
                fds[count++] = new PollFd { Fd = (int)second!.DangerousGetHandle(), Events = LibC.POLLIN };
            }

            if (count == 0 || LibC.Poll(fds, (nuint)count, 0) <= 0)
            {
                return false;
            }

            // POLLIN is data to read; a pipe whose writer closed with nothing left shows POLLHUP alone.
            return (fds[0].Revents & LibC.POLLIN) != 0 || (count > 1 && (fds[1].Revents & LibC.POLLIN) != 0);
        }
        finally
        {
            if (firstAdded)
            {
                first!.DangerousRelease();
            }

            if (secondAdded)
            {
                second!.DangerousRelease();
            }
        }
    }

    private static bool Usable(SafeHandle? handle, ref bool added)
    {
        if (handle is null || handle.IsInvalid || handle.IsClosed)
        {
            return false;
        }

        try
        {
            handle.DangerousAddRef(ref added);
            return added;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
