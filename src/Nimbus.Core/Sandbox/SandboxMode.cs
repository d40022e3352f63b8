namespace Nimbus.Core.Sandbox;

/// <summary>How the platform runs function workers.</summary>
public enum SandboxMode
{
    /// <summary>Each function in bubblewrap as its own unprivileged user, with its own mount, PID and IPC namespaces.</summary>
    Bubblewrap,

    /// <summary>Workers run as the platform's own user and see what it sees (only when the operator asked for it).</summary>
    Unsandboxed,
}
