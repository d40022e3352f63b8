namespace Nimbus.Core.Sandbox;

/// <summary>The decision on how workers run, with the reasons an operator reads in the warning and in <c>nimbus status</c>.</summary>
/// <param name="Mode">How workers run, when <see cref="Refused"/> is false.</param>
/// <param name="Refused">True when the host cannot sandbox and the operator did not allow running unsandboxed: do not start.</param>
/// <param name="Reasons">Why the sandbox is not in use (empty when it is).</param>
/// <param name="Memory">How memory limits are enforced.</param>
/// <param name="MemoryReason">Why memory is enforced that way (null for a cgroup).</param>
public sealed record SandboxVerdict(
    SandboxMode Mode,
    bool Refused,
    IReadOnlyList<string> Reasons,
    MemoryEnforcement Memory,
    string? MemoryReason);
