namespace Nimbus.Core.Api;

/// <summary>Body of <c>GET /api/v1/status</c>: what this platform is and how it runs functions.</summary>
public sealed record StatusInfo(string Version, string DataDirectory, StoreStatus Store, SandboxStatus Sandbox);

/// <summary>The store the platform keeps its state in.</summary>
public sealed record StoreStatus(string Kind, string Location);

/// <summary>
/// How workers run: <c>bubblewrap</c> (each function its own user and namespaces) or <c>unsandboxed</c>, with the reasons;
/// and how memory limits are enforced (<c>cgroup</c> or <c>watchdog</c>), with the reason for the watchdog.
/// </summary>
public sealed record SandboxStatus(string Mode, IReadOnlyList<string> Reasons, string Memory, string? MemoryReason);
