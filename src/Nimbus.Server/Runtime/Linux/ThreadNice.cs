namespace Nimbus.Server.Runtime.Linux;

/// <summary>Lowers the scheduling priority of the calling thread (Linux threads are scheduled one by one).</summary>
public static class ThreadNice
{
    /// <returns>Whether the priority was changed.</returns>
    public static bool Lower(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return LibC.SetPriority(LibC.PRIO_PROCESS, LibC.GetThreadId(), nice) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a libc without gettid (glibc < 2.30)
        }
    }
}
