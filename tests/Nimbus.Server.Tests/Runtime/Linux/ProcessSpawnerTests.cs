using System.ComponentModel;
using System.Diagnostics;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Tests.Runtime.Linux;

public sealed class ProcessSpawnerTests : IDisposable
{
    // Asks the kernel for the calling process's parent-death signal (PR_GET_PDEATHSIG = 2).
    private const string PrintParentDeathSignal =
        "import ctypes; libc = ctypes.CDLL(None); s = ctypes.c_int(); libc.prctl(2, ctypes.byref(s), 0, 0, 0); print(s.value)";

    private readonly TestProcesses _processes = new();

    public void Dispose() => _processes.Dispose();

    [Fact]
    public async Task StartAsync_WithParentDeathSignal_ChildHasSigkillAsParentDeathSignal()
    {
        // In a PID namespace the worker is forked by the namespace's init, and fork clears the signal; the namespace
        // tests below cover that case.
        using var spawner = new ProcessSpawner(usePidNamespace: false);

        var output = await RunAsync(spawner, Python(PrintParentDeathSignal));

        Assert.True(spawner.UsesParentDeathSignal);
        Assert.Equal("9", output);
    }

    [Fact]
    public async Task StartAsync_WithoutParentDeathSignal_ChildHasNone()
    {
        using var spawner = new ProcessSpawner(useParentDeathSignal: false, usePidNamespace: false);

        var output = await RunAsync(spawner, Python(PrintParentDeathSignal));

        Assert.False(spawner.UsesParentDeathSignal);
        Assert.Equal("0", output);
    }

    [Fact]
    public async Task StartAsync_WithoutPidNamespace_ReturnsTheWorkersOwnProcess()
    {
        using var spawner = new ProcessSpawner(usePidNamespace: false);
        var startInfo = new ProcessStartInfo("sleep");
        startInfo.ArgumentList.Add("30");

        var process = await spawner.StartAsync(startInfo, CancellationToken.None);
        _processes.Track(process);

        // setpriv replaces itself with the worker, so the pid the platform tracks is the worker's.
        await TestProcesses.WaitUntilAsync(() => TestProcesses.Comm(process.Id) == "sleep", $"pid {process.Id} runs sleep");
        Assert.Equal("sleep", startInfo.FileName); // the caller's start info is left alone
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_PassesArgumentListEnvironmentAndWorkingDirectory(bool usePidNamespace)
    {
        using var spawner = new ProcessSpawner(usePidNamespace: usePidNamespace);
        var directory = Directory.CreateTempSubdirectory("nimbus-spawner-").FullName;
        try
        {
            var startInfo = new ProcessStartInfo("sh") { RedirectStandardOutput = true, WorkingDirectory = directory };
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add("echo \"$1|$GREETING|$(pwd)\"");
            startInfo.ArgumentList.Add("sh");
            startInfo.ArgumentList.Add("two words");
            startInfo.Environment["GREETING"] = "hello \"quoted\"";

            var output = await RunAsync(spawner, startInfo);

            Assert.Equal($"two words|hello \"quoted\"|{directory}", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_PassesAnArgumentStringAsProcessStartWould(bool usePidNamespace)
    {
        const string arguments = """-c "printf '[%s]' \"$0\" \"$1\"" "c \"d\"  e" plain""";
        using var spawner = new ProcessSpawner(usePidNamespace: usePidNamespace);

        var wrapped = await RunAsync(spawner, new ProcessStartInfo("sh", arguments) { RedirectStandardOutput = true });
        using var direct = Process.Start(new ProcessStartInfo("sh", arguments) { RedirectStandardOutput = true })!;
        var unwrapped = await direct.StandardOutput.ReadToEndAsync();

        Assert.Equal("[c \"d\"  e][plain]", wrapped);
        Assert.Equal(unwrapped, wrapped);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_WhenExecutableIsMissing_ThrowsWin32Exception(bool usePidNamespace)
    {
        using var spawner = new ProcessSpawner(usePidNamespace: usePidNamespace);

        await Assert.ThrowsAsync<Win32Exception>(
            () => spawner.StartAsync(new ProcessStartInfo("nimbus-no-such-program"), CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var spawner = new ProcessSpawner();
        spawner.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => spawner.StartAsync(new ProcessStartInfo("true"), CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_EndsTheSpawnerThreadAndSoKillsItsChildren()
    {
        var spawner = new ProcessSpawner(usePidNamespace: false);
        var startInfo = new ProcessStartInfo("sleep");
        startInfo.ArgumentList.Add("30");
        var process = await spawner.StartAsync(startInfo, CancellationToken.None);
        _processes.Track(process);
        // Wait for setpriv to have set the signal and exec'd sleep.
        await TestProcesses.WaitUntilAsync(() => TestProcesses.Comm(process.Id) == "sleep", $"pid {process.Id} runs sleep");

        spawner.Dispose();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(137, process.ExitCode); // 128 + SIGKILL
    }

    [Fact]
    public void Constructor_AsRoot_UsesAPidNamespace()
    {
        using var spawner = new ProcessSpawner();

        // The tests run as root (as CI does); elsewhere the spawner falls back and says why.
        Assert.True(spawner.UsesPidNamespace, $"no PID namespace: {spawner.PidNamespaceUnavailableReason}");
        Assert.Null(spawner.PidNamespaceUnavailableReason);
    }

    [Fact]
    public async Task StartAsync_InPidNamespace_WorkerSeesOnlyItsOwnNamespace()
    {
        using var spawner = new ProcessSpawner();

        // pid 1 is the namespace's init (the shell that waits for the worker), the worker pid 2; /proc is the namespace's.
        var output = await RunAsync(spawner, Shell("echo \"$$ $(tr '\\0' ' ' < /proc/1/cmdline)\""));

        Assert.StartsWith("2 /bin/sh -c ", output, StringComparison.Ordinal);
        Assert.Contains(" nimbus-init ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("kill -SEGV $$", 128 + 11)]
    [InlineData("kill -KILL $$", 128 + 9)]
    public async Task StartAsync_InPidNamespace_ExitStatusIsTheWorkers(string script, int expected)
    {
        using var spawner = new ProcessSpawner();

        var process = await spawner.StartAsync(Shell(script), CancellationToken.None);
        _processes.Track(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);

        // A signal the worker sends itself would be ignored if the worker were the namespace's init.
        Assert.Equal(expected, process.ExitCode);
    }

    [Fact]
    public async Task StartAsync_InPidNamespace_WhenTheWorkerExits_ItsDoubleForkedGrandchildDies()
    {
        using var spawner = new ProcessSpawner();
        var startInfo = Shell("(sleep 300 &); echo forked; read line; exit 0");
        startInfo.RedirectStandardInput = true;
        var process = await spawner.StartAsync(startInfo, CancellationToken.None);
        _processes.Track(process);
        Assert.Equal("forked", await TestProcesses.ReadLineAsync(process));
        // The orphan is re-parented to the namespace's init, so it is still a descendant of the process we started.
        // The subshell may not have exec'd sleep yet when "forked" arrives: wait for the orphan to appear.
        var orphan = 0;
        await TestProcesses.WaitUntilAsync(
            () => (orphan = ProcessTree.GetDescendants(process.Id).FirstOrDefault(pid => TestProcesses.Comm(pid) == "sleep")) != 0,
            "the double-forked sleep appeared under the worker");

        process.StandardInput.Close(); // the worker's read ends and it exits, leaving the orphan behind

        await TestProcesses.WaitUntilAsync(() => !TestProcesses.IsRunning(orphan), $"the orphaned sleep ({orphan}) died with its worker");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Dispose_InPidNamespace_KillsTheWorkersWholeNamespace()
    {
        var spawner = new ProcessSpawner();
        var process = await spawner.StartAsync(Shell("sleep 300 & echo forked; wait"), CancellationToken.None);
        _processes.Track(process);
        Assert.Equal("forked", await TestProcesses.ReadLineAsync(process));
        // The forked child may not have exec'd sleep yet when "forked" arrives: wait until it has.
        await TestProcesses.WaitUntilAsync(
            () => ProcessTree.GetDescendants(process.Id).Any(pid => TestProcesses.Comm(pid) == "sleep"), "the forked sleep appeared under the worker");
        var tree = ProcessTree.GetDescendants(process.Id);

        spawner.Dispose(); // as if the platform died: setpriv's signal kills unshare, unshare's kills the init

        foreach (var pid in tree)
        {
            await TestProcesses.WaitUntilAsync(() => !TestProcesses.IsRunning(pid), $"pid {pid} ({TestProcesses.Comm(pid)}) of the namespace died");
        }
    }

    [Fact]
    public async Task SetprivWrapper_WhenParentShellIsKilled_KillsTheChild()
    {
        var parent = _processes.Shell("/usr/bin/setpriv --pdeathsig KILL -- sleep 30 & echo $!; wait");
        var child = int.Parse(await TestProcesses.ReadLineAsync(parent));
        await TestProcesses.WaitUntilAsync(() => TestProcesses.Comm(child) == "sleep", $"pid {child} runs sleep");

        parent.Kill();

        await TestProcesses.WaitUntilAsync(() => !TestProcesses.IsRunning(child), $"sleep ({child}) died with its parent");
    }

    private static ProcessStartInfo Shell(string script)
    {
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        return startInfo;
    }

    private static ProcessStartInfo Python(string code)
    {
        var startInfo = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(code);
        return startInfo;
    }

    private async Task<string> RunAsync(ProcessSpawner spawner, ProcessStartInfo startInfo)
    {
        var process = await spawner.StartAsync(startInfo, CancellationToken.None);
        _processes.Track(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }
}
