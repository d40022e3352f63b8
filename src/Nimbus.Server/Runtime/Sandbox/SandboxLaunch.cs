namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>What one worker's sandbox is made of.</summary>
/// <param name="HostMounts">The system directories and files every sandbox sees (from <see cref="SandboxLayout"/>).</param>
/// <param name="CodeDirectory">The function's extracted package on the host; shown read-only at <see cref="BubblewrapArguments.TaskRoot"/>.</param>
/// <param name="RuntimesDirectory">Nimbus's runtime clients on the host; shown read-only at <see cref="BubblewrapArguments.RuntimeRoot"/>.</param>
/// <param name="UserFiles">The generated passwd and group files naming the function's user.</param>
/// <param name="Uid">The function's own uid (and gid).</param>
/// <param name="TmpBytes">Size of the private /tmp.</param>
/// <param name="Command">The worker's executable and arguments, as paths inside the sandbox.</param>
/// <param name="SharedDirectories">Host directories shown read-write at the same path (the operator's choice; none by default).</param>
public sealed record SandboxLaunch(
    IReadOnlyList<SandboxMount> HostMounts,
    string CodeDirectory,
    string RuntimesDirectory,
    FunctionUserFiles UserFiles,
    int Uid,
    long TmpBytes,
    IReadOnlyList<string> Command,
    IReadOnlyList<string>? SharedDirectories = null);
