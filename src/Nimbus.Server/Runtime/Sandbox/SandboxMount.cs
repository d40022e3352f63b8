namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>One read-only piece of the host shown inside a sandbox: a directory or file bound at a path, or a symlink.</summary>
public sealed record SandboxMount(SandboxMountKind Kind, string Source, string Target)
{
    public static SandboxMount ReadOnly(string path) => new(SandboxMountKind.ReadOnlyBind, path, path);
}
