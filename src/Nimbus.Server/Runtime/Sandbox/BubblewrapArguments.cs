using System.Globalization;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// Builds the bubblewrap command line of one worker. Pure: every path it needs is in the <see cref="SandboxLaunch"/>.
/// </summary>
/// <remarks>
/// bwrap runs as root (without a user namespace), so it can give the worker a uid of its own: it keeps only the
/// capabilities to change uid, gid and the bounding set for its child, and that child is setpriv, which becomes the
/// function's user with no capabilities left, no supplementary groups and no_new_privs, then execs the worker. bwrap's
/// own process is the PID namespace's init (pid 1) and the worker pid 2, so the worker keeps its normal signal
/// behaviour and the namespace, with everything the worker forked, ends when the worker does.
/// </remarks>
public static class BubblewrapArguments
{
    /// <summary>Where the function's code is inside the sandbox (Lambda's <c>LAMBDA_TASK_ROOT</c>).</summary>
    public const string TaskRoot = "/var/task";

    /// <summary>Where Nimbus's runtime clients are inside the sandbox (Lambda's <c>LAMBDA_RUNTIME_DIR</c>).</summary>
    public const string RuntimeRoot = "/var/runtime";

    public const string SetprivPath = "/usr/bin/setpriv";

    public static IReadOnlyList<string> Build(SandboxLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var uid = launch.Uid.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "--die-with-parent",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            // No controlling terminal to inject keystrokes into (TIOCSTI).
            "--new-session",
        };

        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in launch.HostMounts)
        {
            AddParents(args, created, mount.Target);
            args.AddRange(mount.Kind == SandboxMountKind.Symlink
                ? ["--symlink", mount.Source, mount.Target]
                : ["--ro-bind", mount.Source, mount.Target]);
        }

        AddParents(args, created, "/etc/passwd");
        args.AddRange(["--ro-bind", launch.UserFiles.Passwd, "/etc/passwd"]);
        args.AddRange(["--ro-bind", launch.UserFiles.Group, "/etc/group"]);
        args.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        args.AddRange(["--perms", "1777", "--size", launch.TmpBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        foreach (var shared in launch.SharedDirectories ?? [])
        {
            // After /tmp's tmpfs, so a shared directory under /tmp is seen through it.
            args.AddRange(["--bind", shared, shared]);
        }

        AddParents(args, created, TaskRoot);
        args.AddRange(["--ro-bind", launch.CodeDirectory, TaskRoot]);
        args.AddRange(["--ro-bind", launch.RuntimesDirectory, RuntimeRoot]);
        args.AddRange(["--chdir", TaskRoot]);
        args.AddRange(["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]);
        args.AddRange(["--", SetprivPath, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]);
        args.AddRange(launch.Command);
        return args;
    }

    /// <summary>
    /// Creates the directories above a mount point as 0755 before bwrap would create them implicitly: it makes those
    /// with the platform's umask, and a 077 umask leaves /var or /etc unreadable to the function's user.
    /// </summary>
    private static void AddParents(List<string> args, HashSet<string> created, string target)
    {
        var parent = Path.GetDirectoryName(target);
        if (string.IsNullOrEmpty(parent) || parent == "/" || !created.Add(parent))
        {
            return;
        }

        AddParents(args, created, parent);
        args.AddRange(["--perms", "0755", "--dir", parent]);
    }

    /// <summary>A host path of the code or runtimes directory as the worker sees it; other paths unchanged.</summary>
    public static string Translate(string path, string codeDirectory, string runtimesDirectory) =>
        Rebase(path, codeDirectory, TaskRoot) ?? Rebase(path, runtimesDirectory, RuntimeRoot) ?? path;

    private static string? Rebase(string path, string from, string to)
    {
        var root = from.TrimEnd('/');
        if (path == root)
        {
            return to;
        }

        return path.StartsWith(root + "/", StringComparison.Ordinal) ? to + path[root.Length..] : null;
    }
}
