namespace Nimbus.Core.Sandbox;

/// <summary>What stops an instance that uses more memory than its function's <c>memory</c>.</summary>
public enum MemoryEnforcement
{
    /// <summary>A cgroup v2 per instance with <c>memory.max</c>; the kernel holds the limit (the watchdog still reports it).</summary>
    Cgroup,

    /// <summary>The platform's watchdog samples the resident memory of the instance's process tree and stops it.</summary>
    Watchdog,
}
