namespace Nimbus.Server.Runtime.Sandbox;

public enum SandboxMountKind
{
    /// <summary><c>--ro-bind Source Target</c>.</summary>
    ReadOnlyBind,

    /// <summary><c>--symlink Source Target</c>: Source is the link's text (merged-/usr hosts link /bin to usr/bin).</summary>
    Symlink,
}
