using System.Diagnostics;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Tests.Runtime.Linux;

public sealed class ProcessTreeTests : IDisposable
{
    // Outer shell: a sleeping child, and a child shell with a sleeping child of its own. Prints the three pids.
    private const string TreeScript = "sleep 30 & echo $!; sh -c 'sleep 31 & echo $!; wait' & echo $!; wait";

    private readonly TestProcesses _processes = new();

    public void Dispose() => _processes.Dispose();

    [Fact]
    public async Task GetDescendants_ReturnsChildrenAndGrandchildren()
    {
        var (root, expected) = await StartTreeAsync();

        var descendants = ProcessTree.GetDescendants(root.Id);

        Assert.Equal(expected.Order(), descendants.Order());
    }

    [Fact]
    public void GetDescendants_WhenProcessHasNoChildren_ReturnsEmpty()
    {
        var sleeper = _processes.Shell("exec sleep 30");

        Assert.Empty(ProcessTree.GetDescendants(sleeper.Id));
    }

    [Fact]
    public async Task GetDescendants_WhenProcessIsGone_ReturnsEmpty()
    {
        var pid = await ExitedPidAsync();

        Assert.Empty(ProcessTree.GetDescendants(pid));
    }

    [Fact]
    public async Task GetResidentBytes_IncludesMemoryAllocatedByAChild()
    {
        const long allocated = 80_000_000;
        var root = _processes.Shell(
            "python3 -c \"import os, time; x = bytearray(b'\\x01') * 80_000_000; print(os.getpid(), flush=True); time.sleep(30)\" & wait");
        var python = int.Parse(await TestProcesses.ReadLineAsync(root));

        var tree = ProcessTree.GetResidentBytes(root.Id);
        var pythonAlone = ProcessTree.GetResidentBytes(python);

        Assert.True(tree >= allocated, $"tree of {root.Id}: expected at least {allocated} resident bytes, got {tree}");
        Assert.True(tree > pythonAlone, $"tree ({tree}) should add the shell's own memory to python's ({pythonAlone})");
    }

    [Fact]
    public void GetResidentBytes_OfAProcessWithoutChildren_IsItsOwnSmallFootprint()
    {
        var sleeper = _processes.Shell("exec sleep 30");

        var resident = ProcessTree.GetResidentBytes(sleeper.Id);

        Assert.InRange(resident, 1, 50_000_000);
    }

    [Fact]
    public async Task GetResidentBytes_WhenProcessIsGone_ReturnsZero()
    {
        var pid = await ExitedPidAsync();

        Assert.Equal(0, ProcessTree.GetResidentBytes(pid));
    }

    [Fact]
    public async Task Kill_LeavesNoProcessOfTheTreeRunning()
    {
        var (root, descendants) = await StartTreeAsync();

        ProcessTree.Kill(root.Id);

        await root.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        await TestProcesses.WaitUntilAsync(
            () => !descendants.Any(TestProcesses.IsRunning),
            $"no descendant of {root.Id} runs (still running: {string.Join(", ", descendants.Where(TestProcesses.IsRunning))})");
        Assert.Equal(137, root.ExitCode); // 128 + SIGKILL
    }

    [Fact]
    public async Task Kill_ReachesChildrenForkedWhileKilling()
    {
        // A shell that keeps forking: freezing the tree first means no child forked mid-kill escapes. The odd duration
        // marks this test's sleepers among those of other tests.
        const string marker = "37.4242";
        var root = _processes.Shell($"echo ready; while true; do sleep {marker} & sleep 0.01; done");
        await TestProcesses.ReadLineAsync(root);
        await TestProcesses.WaitUntilAsync(() => ProcessTree.GetDescendants(root.Id).Count >= 5, "the forking shell has children");

        ProcessTree.Kill(root.Id);

        await root.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        await TestProcesses.WaitUntilAsync(() => RunningWithArgument(marker).Count == 0, "no sleeper of the forking shell runs");
    }

    [Fact]
    public async Task Kill_WhenProcessIsGone_DoesNotThrow()
    {
        var pid = await ExitedPidAsync();

        ProcessTree.Kill(pid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Kill_WhenPidIsNotPositive_Throws(int pid)
    {
        // kill(0) and kill(-1) would signal our process group or every process we may signal.
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessTree.Kill(pid));
    }

    private async Task<(Process Root, int[] Descendants)> StartTreeAsync()
    {
        var root = _processes.Shell(TreeScript);
        var pids = new int[3];
        for (var i = 0; i < pids.Length; i++)
        {
            pids[i] = int.Parse(await TestProcesses.ReadLineAsync(root));
        }

        // $! is known before the child has exec'd; wait until both sleeps really are sleep.
        await TestProcesses.WaitUntilAsync(
            () => pids.Count(pid => TestProcesses.Comm(pid) == "sleep") == 2, "both sleeps of the tree have started");
        return (root, pids);
    }

    private static async Task<int> ExitedPidAsync()
    {
        using var process = Process.Start("/bin/true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static List<int> RunningWithArgument(string argument)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TestProcesses.IsRunning(pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Join(directory, "cmdline")).Split('\0').Contains(argument))
                    {
                        pids.Add(pid);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        return pids;
    }
}
