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
        using var spawner = new ProcessSpawner();

        var output = await RunAsync(spawner, Python(PrintParentDeathSignal));

        Assert.True(spawner.UsesParentDeathSignal);
        Assert.Equal("9", output);
    }

    [Fact]
    public async Task StartAsync_WithoutParentDeathSignal_ChildHasNone()
    {
        using var spawner = new ProcessSpawner(useParentDeathSignal: false);

        var output = await RunAsync(spawner, Python(PrintParentDeathSignal));

        Assert.False(spawner.UsesParentDeathSignal);
        Assert.Equal("0", output);
    }

    [Fact]
    public async Task StartAsync_ReturnsTheWorkersOwnProcess()
    {
        using var spawner = new ProcessSpawner();
        var startInfo = new ProcessStartInfo("sleep");
        startInfo.ArgumentList.Add("30");

        var process = await spawner.StartAsync(startInfo, CancellationToken.None);
        _processes.Track(process);

        // setpriv replaces itself with the worker, so the pid the platform tracks is the worker's.
        await TestProcesses.WaitUntilAsync(() => TestProcesses.Comm(process.Id) == "sleep", $"pid {process.Id} runs sleep");
        Assert.Equal("sleep", startInfo.FileName); // the caller's start info is left alone
    }

    [Fact]
    public async Task StartAsync_PassesArgumentListEnvironmentAndWorkingDirectory()
    {
        using var spawner = new ProcessSpawner();
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

    [Fact]
    public async Task StartAsync_PassesAnArgumentStringAsProcessStartWould()
    {
        const string arguments = """-c "printf '[%s]' \"$0\" \"$1\"" "c \"d\"  e" plain""";
        using var spawner = new ProcessSpawner();

        var wrapped = await RunAsync(spawner, new ProcessStartInfo("sh", arguments) { RedirectStandardOutput = true });
        using var direct = Process.Start(new ProcessStartInfo("sh", arguments) { RedirectStandardOutput = true })!;
        var unwrapped = await direct.StandardOutput.ReadToEndAsync();

        Assert.Equal("[c \"d\"  e][plain]", wrapped);
        Assert.Equal(unwrapped, wrapped);
    }

    [Fact]
    public async Task StartAsync_WhenExecutableIsMissing_ThrowsWin32Exception()
    {
        using var spawner = new ProcessSpawner();

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
        var spawner = new ProcessSpawner();
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
    public async Task SetprivWrapper_WhenParentShellIsKilled_KillsTheChild()
    {
        var parent = _processes.Shell("/usr/bin/setpriv --pdeathsig KILL -- sleep 30 & echo $!; wait");
        var child = int.Parse(await TestProcesses.ReadLineAsync(parent));
        await TestProcesses.WaitUntilAsync(() => TestProcesses.Comm(child) == "sleep", $"pid {child} runs sleep");

        parent.Kill();

        await TestProcesses.WaitUntilAsync(() => !TestProcesses.IsRunning(child), $"sleep ({child}) died with its parent");
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
