using Microsoft.Extensions.Logging;
using Nimbus.Core.Sandbox;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>What the operator is told about the sandbox at start: a refusal, or a loud warning when workers run unsandboxed.</summary>
public static partial class SandboxMessages
{
    public static string Refusal(SandboxVerdict verdict) =>
        $"cannot sandbox function workers here: {string.Join("; ", verdict.Reasons)}. Install bubblewrap and run as root, "
        + $"or start with {SandboxPolicy.UnsandboxedFlag} to run functions as this user, beside the platform's data (see docs/sandbox.md)";

    public static void LogAtStart(ILogger logger, SandboxVerdict verdict)
    {
        if (verdict.Mode == SandboxMode.Unsandboxed)
        {
            Unsandboxed(logger, string.Join("; ", verdict.Reasons));
        }
        else if (verdict.Memory == MemoryEnforcement.Watchdog)
        {
            MemoryWatchedOnly(logger, verdict.MemoryReason ?? "no writable cgroup v2");
        }
    }

    [LoggerMessage(7101, LogLevel.Warning,
        "WORKERS ARE NOT SANDBOXED ({Reason}): every function runs as this user and can read the platform's data dir, other functions' code and their environment. See `nimbus status`")]
    private static partial void Unsandboxed(ILogger logger, string reason);

    [LoggerMessage(7102, LogLevel.Information, "Workers are sandboxed; memory limits are held by the watchdog only: {Reason}")]
    private static partial void MemoryWatchedOnly(ILogger logger, string reason);
}
