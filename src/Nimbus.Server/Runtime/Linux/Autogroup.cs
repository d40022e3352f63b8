namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Linux's autogroups (<c>CONFIG_SCHED_AUTOGROUP</c>): with them on, every session is one scheduling group, and the
/// scheduler shares the CPU between groups first, then between the threads of each group. A sandboxed worker runs in a
/// session of its own (bubblewrap's <c>--new-session</c>), so it is one group, whatever number of threads it runs.
/// </summary>
public static class Autogroup
{
    private const string EnabledFile = "/proc/sys/kernel/sched_autogroup_enabled";

    /// <summary>True when the kernel groups threads by session.</summary>
    public static bool Enabled
    {
        get
        {
            try
            {
                return File.Exists(EnabledFile) && File.ReadAllText(EnabledFile).Trim() == "1";
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Sets the nice value of the autogroup of <paramref name="rootPid"/>'s tree that is not the calling process's own
    /// (the worker's session), and returns it as read back; null when autogroups are off, the tree shares the caller's
    /// group (an unsandboxed worker), or the kernel refused (raising a group's weight takes <c>CAP_SYS_NICE</c>).
    /// </summary>
    public static int? TrySetNice(int rootPid, int nice)
    {
        if (!Enabled || Group(Environment.ProcessId) is not { } own)
        {
            return null;
        }

        foreach (var pid in ProcessTree.GetDescendants(rootPid).Prepend(rootPid))
        {
            if (Group(pid) is not { } group || group.Name == own.Name)
            {
                continue;
            }

            try
            {
                File.WriteAllText($"/proc/{pid}/autogroup", nice.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null; // EPERM, or the process has just exited
            }

            return Group(pid)?.Nice;
        }

        return null;
    }

    /// <summary>The autogroup of <paramref name="pid"/>: <c>/autogroup-123 nice 0</c> read as its name and nice value.</summary>
    public static (string Name, int Nice)? Group(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/autogroup");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 3 && parts[1] == "nice" &&
               int.TryParse(parts[2], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var nice)
            ? (parts[0], nice)
            : null;
    }
}
