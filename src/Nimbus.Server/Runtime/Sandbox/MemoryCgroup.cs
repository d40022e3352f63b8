using System.Globalization;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// A cgroup v2 subtree of this platform (<c>/sys/fs/cgroup/nimbus-{pid}</c>) with one child per instance whose
/// <c>memory.max</c> the kernel enforces. Only where /sys/fs/cgroup is a writable cgroup v2 hierarchy with the memory
/// controller; <see cref="TryCreate"/> says why not otherwise, and the watchdog alone enforces memory.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string _base;

    private MemoryCgroup(string basePath) => _base = basePath;

    /// <summary>The subtree, or null with the reason it cannot be had.</summary>
    public static MemoryCgroup? TryCreate(out string? error)
    {
        error = null;
        var controllers = Path.Join(Root, "cgroup.controllers");
        if (!File.Exists(controllers))
        {
            error = $"{Root} is not a cgroup v2 hierarchy (a v1 or hybrid layout): memory is watched, not enforced by the kernel";
            return null;
        }

        var basePath = Path.Join(Root, string.Create(CultureInfo.InvariantCulture, $"nimbus-{Environment.ProcessId}"));
        try
        {
            if (!File.ReadAllText(controllers).Split(' ', '\n').Contains("memory"))
            {
                error = $"the memory controller is not available in {Root}";
                return null;
            }

            EnableMemory(Root);
            Directory.CreateDirectory(basePath);
            EnableMemory(basePath);
            var probe = Path.Join(basePath, "probe");
            Directory.CreateDirectory(probe);
            File.WriteAllText(Path.Join(probe, "memory.max"), "max");
            Directory.Delete(probe);
            return new MemoryCgroup(basePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{Root} is not writable here ({ex.Message}): memory is watched, not enforced by the kernel";
            TryDelete(basePath);
            return null;
        }
    }

    /// <summary>Creates the instance's cgroup with its limit; returns the <c>cgroup.procs</c> file the worker joins.</summary>
    public string CreateInstance(string instanceId, long maxBytes)
    {
        var path = Path.Join(_base, instanceId);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Join(path, "memory.max"), maxBytes.ToString(CultureInfo.InvariantCulture));
        var swap = Path.Join(path, "memory.swap.max");
        if (File.Exists(swap))
        {
            File.WriteAllText(swap, "0");
        }

        return Path.Join(path, "cgroup.procs");
    }

    /// <summary>Removes an instance's cgroup once its processes are gone (a cgroup with members cannot be removed).</summary>
    public void DeleteInstance(string instanceId) => TryDelete(Path.Join(_base, instanceId));

    public void Dispose() => TryDelete(_base);

    private static void EnableMemory(string cgroup)
    {
        var control = Path.Join(cgroup, "cgroup.subtree_control");
        if (!File.ReadAllText(control).Split(' ', '\n').Contains("memory"))
        {
            File.WriteAllText(control, "+memory");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still populated (a process not yet reaped) or already gone: the kernel keeps it until empty.
        }
    }
}
