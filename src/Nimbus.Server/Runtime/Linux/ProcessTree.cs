using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>A worker process and everything it started, read from /proc.</summary>
public static class ProcessTree
{
    // A tree that keeps growing while we freeze it is a fork bomb; give up on freezing and just kill what we saw.
    private const int MaxFreezeRounds = 16;
    private const int MaxTreeSize = 100_000;

    private static readonly bool s_hasChildrenFiles = File.Exists($"/proc/self/task/{Environment.ProcessId}/children");

    /// <summary>
    /// Children, grandchildren and so on of <paramref name="pid"/>, parents before their children; empty if it is gone.
    /// A snapshot: processes may start or exit while it is taken.
    /// </summary>
    public static IReadOnlyList<int> GetDescendants(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        var descendants = new List<int>();
        CollectDescendants(pid, descendants);
        return descendants;
    }

    /// <summary>Resident memory (VmRSS) of <paramref name="pid"/> and all its descendants, in bytes; 0 if it is gone.</summary>
    public static long GetResidentBytes(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        var total = ResidentBytes(pid);
        if (total < 0)
        {
            return 0;
        }

        var descendants = new List<int>();
        CollectDescendants(pid, descendants);
        foreach (var descendant in descendants)
        {
            total += Math.Max(0, ResidentBytes(descendant));
        }

        return total;
    }

    /// <summary>
    /// Sends SIGKILL to every process of the tree, descendants first. The tree is frozen with SIGSTOP beforehand, so a
    /// process cannot fork a child we have not seen while the kills go out. Does not wait for the processes to be reaped.
    /// </summary>
    /// <exception cref="Win32Exception">A signal was refused for a reason other than the process being gone (e.g. EPERM).</exception>
    public static void Kill(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (pid == Environment.ProcessId)
        {
            throw new ArgumentException("refusing to kill the calling process", nameof(pid));
        }

        var error = 0;
        Signal(pid, LibC.SIGSTOP, ref error);
        var tree = new List<int>();
        var stopped = new HashSet<int>();
        for (var round = 0; round < MaxFreezeRounds; round++)
        {
            tree.Clear();
            CollectDescendants(pid, tree);
            var newlySeen = 0;
            foreach (var descendant in tree)
            {
                if (stopped.Add(descendant))
                {
                    newlySeen++;
                    Signal(descendant, LibC.SIGSTOP, ref error);
                }
            }

            if (newlySeen == 0)
            {
                break;
            }
        }

        // Children of a process that died between rounds were re-parented away from the tree; kill what we stopped.
        foreach (var descendant in stopped)
        {
            Signal(descendant, LibC.SIGKILL, ref error);
        }

        Signal(pid, LibC.SIGKILL, ref error);
        if (error != 0)
        {
            throw new Win32Exception(error, $"could not kill every process of the tree of {pid}");
        }
    }

    internal static void CollectDescendants(int pid, List<int> descendants)
    {
        var start = descendants.Count;
        if (!s_hasChildrenFiles)
        {
            CollectDescendantsByScanning(pid, descendants);
            return;
        }

        AppendChildren(pid, descendants);
        for (var i = start; i < descendants.Count && descendants.Count < MaxTreeSize; i++)
        {
            AppendChildren(descendants[i], descendants);
        }
    }

    private static void Signal(int pid, int signal, ref int firstError)
    {
        if (LibC.Kill(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.ESRCH && firstError == 0)
            {
                firstError = errno;
            }
        }
    }

    /// <summary>Appends the children of every thread of <paramref name="pid"/> (a child belongs to the thread that forked it).</summary>
    private static void AppendChildren(int pid, List<int> children)
    {
        var threads = new List<int>();
        ProcDirectory.ReadNumericEntries($"/proc/{pid}/task", threads);
        Span<byte> buffer = stackalloc byte[4096];
        foreach (var tid in threads)
        {
            var path = $"/proc/{pid}/task/{tid}/children";
            var length = ProcFile.Read(path, buffer);
            if (length == buffer.Length)
            {
                // Thousands of children: rare enough to pay for a pooled buffer.
                var large = ProcFile.ReadAll(path, buffer.Length * 4, out length);
                if (large is not null)
                {
                    ParsePids(large.AsSpan(0, length), children);
                    System.Buffers.ArrayPool<byte>.Shared.Return(large);
                }

                continue;
            }

            if (length > 0)
            {
                ParsePids(buffer[..length], children);
            }
        }
    }

    private static void ParsePids(ReadOnlySpan<byte> text, List<int> pids)
    {
        while (true)
        {
            text = ProcFile.SkipSpaces(text);
            if (!ProcFile.TryParseNumber(ref text, out var pid))
            {
                return;
            }

            pids.Add((int)pid);
        }
    }

    /// <summary>Without CONFIG_PROC_CHILDREN: one pass over /proc/*/stat to build the parent map.</summary>
    private static void CollectDescendantsByScanning(int pid, List<int> descendants)
    {
        var childrenByParent = new Dictionary<int, List<int>>();
        var pids = new List<int>();
        ProcDirectory.ReadNumericEntries("/proc", pids);
        Span<byte> buffer = stackalloc byte[1024];
        foreach (var candidate in pids)
        {
            var length = ProcFile.Read($"/proc/{candidate}/stat", buffer);
            if (length > 0 && TryParseParent(buffer[..length], out var parent))
            {
                if (!childrenByParent.TryGetValue(parent, out var list))
                {
                    childrenByParent[parent] = list = [];
                }

                list.Add(candidate);
            }
        }

        var start = descendants.Count;
        if (childrenByParent.TryGetValue(pid, out var direct))
        {
            descendants.AddRange(direct);
        }

        for (var i = start; i < descendants.Count && descendants.Count < MaxTreeSize; i++)
        {
            if (childrenByParent.TryGetValue(descendants[i], out var children))
            {
                descendants.AddRange(children);
            }
        }
    }

    /// <summary>"pid (comm) state ppid ..."; comm may contain spaces and parentheses, so start after the last ')'.</summary>
    private static bool TryParseParent(ReadOnlySpan<byte> stat, out int parent)
    {
        parent = 0;
        var close = stat.LastIndexOf((byte)')');
        if (close < 0 || close + 4 >= stat.Length)
        {
            return false;
        }

        var rest = stat[(close + 4)..]; // ") S " then ppid
        if (!ProcFile.TryParseNumber(ref rest, out var value))
        {
            return false;
        }

        parent = (int)value;
        return true;
    }

    /// <summary>Resident bytes of one process from /proc/pid/statm (same counters as VmRSS, far cheaper to format); -1 if gone.</summary>
    internal static long ResidentBytes(int pid)
    {
        Span<byte> buffer = stackalloc byte[128];
        var length = ProcFile.Read($"/proc/{pid}/statm", buffer);
        if (length <= 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> text = buffer[..length];
        if (!ProcFile.TryParseNumber(ref text, out _))
        {
            return -1;
        }

        text = ProcFile.SkipSpaces(text);
        return ProcFile.TryParseNumber(ref text, out var pages) ? pages * Environment.SystemPageSize : -1;
    }

}
