namespace Nimbus.Core.Sandbox;

/// <summary>What the platform found out about its host, gathered once at start.</summary>
/// <param name="IsLinux">Namespaces and bubblewrap exist on Linux only.</param>
/// <param name="IsRoot">Root may switch workers to users of their own; nobody else can.</param>
/// <param name="BubblewrapPath">Where bwrap was found; null when it was not.</param>
/// <param name="BubblewrapProbeError">Why a trial sandbox failed; null when it worked (or was not tried).</param>
/// <param name="CgroupError">Why no writable cgroup v2 with the memory controller is available; null when one is.</param>
public sealed record SandboxHostFacts(
    bool IsLinux,
    bool IsRoot,
    string? BubblewrapPath,
    string? BubblewrapProbeError,
    string? CgroupError);
