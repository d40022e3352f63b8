using Nimbus.Server.Runtime.Sandbox;

namespace Nimbus.Server.Tests.Runtime.Sandbox;

public class BubblewrapArgumentsTests
{
    private static readonly SandboxLaunch s_launch = new(
        [SandboxMount.ReadOnly("/usr"), new SandboxMount(SandboxMountKind.Symlink, "usr/bin", "/bin"), SandboxMount.ReadOnly("/opt/py/3.11")],
        "/data/code/abc", "/srv/nimbus/runtimes", new FunctionUserFiles("/data/sandbox/users/200007.passwd", "/data/sandbox/users/200007.group"),
        200_007, 512L * 1024 * 1024, ["/opt/py/3.11/bin/python3", "/var/runtime/python/bootstrap.py"]);

    private static string Joined => string.Join(' ', BubblewrapArguments.Build(s_launch));

    [Fact]
    public void Build_RunsTheWorkerAsTheFunctionsUserWithoutCapabilities_AfterTheSeparator()
    {
        var args = BubblewrapArguments.Build(s_launch);
        var separator = args.ToList().IndexOf("--");

        Assert.Equal(
            ["/usr/bin/setpriv", "--reuid=200007", "--regid=200007", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--",
             "/opt/py/3.11/bin/python3", "/var/runtime/python/bootstrap.py"],
            args.Skip(separator + 1));
    }

    [Fact]
    public void Build_ShowsCodeAndRuntimesReadOnlyAtLambdasPaths_AndASizedPrivateTmp()
    {
        Assert.Contains("--ro-bind /data/code/abc /var/task", Joined);
        Assert.Contains("--ro-bind /srv/nimbus/runtimes /var/runtime", Joined);
        Assert.Contains("--perms 1777 --size 536870912 --tmpfs /tmp", Joined);
        Assert.Contains("--chdir /var/task", Joined);
        Assert.DoesNotContain("--bind ", Joined);
    }

    [Fact]
    public void Build_OwnNamespacesAndDeathWithTheParent()
    {
        Assert.StartsWith("--die-with-parent --unshare-pid --unshare-ipc", Joined);
        Assert.Contains("--proc /proc", Joined);
        Assert.DoesNotContain("--share-net", Joined);
    }

    [Fact]
    public void Build_CreatesParentsOfMountPointsReadableToTheFunctionsUser_BeforeTheMount()
    {
        var joined = Joined;

        Assert.True(joined.IndexOf("--perms 0755 --dir /opt --perms 0755 --dir /opt/py --ro-bind /opt/py/3.11", StringComparison.Ordinal) >= 0, joined);
        Assert.True(joined.IndexOf("--perms 0755 --dir /var --ro-bind /data/code/abc /var/task", StringComparison.Ordinal) >= 0, joined);
        Assert.Contains("--symlink usr/bin /bin", joined);
    }

    [Theory]
    [InlineData("/data/code/abc/bootstrap", "/var/task/bootstrap")]
    [InlineData("/data/code/abc", "/var/task")]
    [InlineData("/srv/nimbus/runtimes/node/bootstrap.js", "/var/runtime/node/bootstrap.js")]
    [InlineData("/data/code/abcdef/x", "/data/code/abcdef/x")]
    [InlineData("us-east-1", "us-east-1")]
    public void Translate_MapsHostPathsOfCodeAndRuntimesOnly(string path, string expected) =>
        Assert.Equal(expected, BubblewrapArguments.Translate(path, "/data/code/abc", "/srv/nimbus/runtimes"));
}
