namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// The parts of the host every sandbox sees, read-only: /usr and the library and binary directories (as the symlinks
/// they are on merged-/usr hosts), and the few files of /etc that programs need to run, resolve names and check TLS
/// certificates. Nothing else of the host (its /home, /root, /var, /srv, /opt, /run, the data dir) is mounted.
/// </summary>
public static class SandboxLayout
{
    private static readonly string[] s_systemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    private static readonly string[] s_etcEntries =
    [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates",
        "/etc/ca-certificates.conf", "/etc/pki", "/etc/crypto-policies", "/etc/resolv.conf", "/etc/hosts", "/etc/host.conf",
        "/etc/nsswitch.conf", "/etc/gai.conf", "/etc/protocols", "/etc/services", "/etc/mime.types", "/etc/localtime",
        "/etc/timezone",
    ];

    /// <summary>Directories under which a runtime's files are already visible (no extra mount needed).</summary>
    public static bool IsCoveredBySystemDirectories(string path) =>
        s_systemDirectories.Any(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal));

    public static IReadOnlyList<SandboxMount> Discover()
    {
        var mounts = new List<SandboxMount>();
        foreach (var directory in s_systemDirectories)
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is { } target)
            {
                mounts.Add(new SandboxMount(SandboxMountKind.Symlink, target, directory));
            }
            else if (info.Exists)
            {
                mounts.Add(SandboxMount.ReadOnly(directory));
            }
        }

        foreach (var entry in s_etcEntries)
        {
            if (File.Exists(entry) || Directory.Exists(entry))
            {
                mounts.Add(SandboxMount.ReadOnly(entry));
            }
        }

        return mounts;
    }
}
