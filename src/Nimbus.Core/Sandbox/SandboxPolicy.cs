namespace Nimbus.Core.Sandbox;

/// <summary>
/// Decides how workers run from what the host offers and what the operator asked for. Pure. Sandboxing is the default;
/// a host that cannot sandbox refuses to start unless the operator said <c>--unsandboxed</c>, because running code as the
/// platform's user beside its database must be a choice, not an accident.
/// </summary>
public static class SandboxPolicy
{
    public const string UnsandboxedFlag = "--unsandboxed";

    public static SandboxVerdict Decide(SandboxHostFacts facts, bool unsandboxedRequested)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (unsandboxedRequested)
        {
            return new SandboxVerdict(SandboxMode.Unsandboxed, Refused: false, [$"turned off with {UnsandboxedFlag}"],
                MemoryEnforcement.Watchdog, "workers are not sandboxed");
        }

        var reasons = new List<string>();
        if (!facts.IsLinux)
        {
            reasons.Add("not Linux: namespaces and bubblewrap are Linux features");
        }
        else
        {
            if (!facts.IsRoot)
            {
                reasons.Add("not running as root: only root can run each function as a user of its own");
            }

            if (facts.BubblewrapPath is null)
            {
                reasons.Add("bubblewrap is not installed (apt-get install bubblewrap)");
            }
            else if (facts.BubblewrapProbeError is { } error)
            {
                reasons.Add($"a trial sandbox failed: {error}");
            }
        }

        if (reasons.Count > 0)
        {
            return new SandboxVerdict(SandboxMode.Unsandboxed, Refused: true, reasons, MemoryEnforcement.Watchdog, "workers are not sandboxed");
        }

        return facts.CgroupError is { } cgroupError
            ? new SandboxVerdict(SandboxMode.Bubblewrap, Refused: false, [], MemoryEnforcement.Watchdog, cgroupError)
            : new SandboxVerdict(SandboxMode.Bubblewrap, Refused: false, [], MemoryEnforcement.Cgroup, null);
    }
}
