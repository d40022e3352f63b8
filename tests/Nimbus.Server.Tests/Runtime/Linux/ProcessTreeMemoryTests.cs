using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Tests.Runtime.Linux;

public sealed class ProcessTreeMemoryTests : IDisposable
{
    private const long Allocated = 80_000_000;
    private readonly TestProcesses _processes = new();
    private readonly string _go = Path.Combine(Path.GetTempPath(), "nimbus-tree-memory-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _processes.Dispose();
        File.Delete(_go);
    }

    [Fact]
    public async Task Read_CountsTheMemoryOfAChildThatWasRunningAtTheFirstRead()
    {
        var root = _processes.Shell(AllocatingChild());
        await TestProcesses.ReadLineAsync(root);
        var tree = new ProcessTreeMemory(root.Id);

        Assert.True(tree.Read() >= Allocated);
        Assert.True(tree.Read() >= Allocated, "the second read (from the known processes, without a walk) still counts the child");
    }

    [Fact]
    public async Task Read_CountsAChildStartedAfterTheFirstRead_WithinRefreshEveryReads()
    {
        var root = _processes.Shell($"while [ ! -f {_go} ]; do sleep 0.02; done; " + AllocatingChild());
        var tree = new ProcessTreeMemory(root.Id);
        Assert.InRange(tree.Read(), 1, Allocated / 2); // the shell alone

        await File.WriteAllTextAsync(_go, "");
        await TestProcesses.ReadLineAsync(root); // the child has allocated
        var reads = new List<long>();
        for (var i = 0; i < ProcessTreeMemory.RefreshEvery; i++)
        {
            reads.Add(tree.Read());
        }

        Assert.True(reads[^1] >= Allocated, $"after {ProcessTreeMemory.RefreshEvery} reads: {string.Join(", ", reads)}");
    }

    [Fact]
    public async Task Read_WalksTheTreeAgainOnceAKnownProcessIsGone()
    {
        // The first child exits when told; the shell then starts the allocating one.
        var root = _processes.Shell($"sh -c 'echo started; while [ ! -f {_go} ]; do sleep 0.02; done' & wait; " + AllocatingChild());
        await TestProcesses.ReadLineAsync(root); // the first child runs
        var tree = new ProcessTreeMemory(root.Id);
        tree.Read();

        await File.WriteAllTextAsync(_go, "");
        await TestProcesses.ReadLineAsync(root);
        tree.Read(); // finds the first child gone
        Assert.True(tree.Read() >= Allocated, "the read after a known process went missing walks the tree and finds the new child");
    }

    [Fact]
    public async Task Read_WalksTheTreeAgainAfterAWalkThatFoundNewProcesses()
    {
        // A sandbox starts its processes one after the other: the first walk may see only the first of them. The shell
        // waits on a FIFO (no polling children that come and go, which would force a walk on their own).
        var fifo = _go + ".fifo";
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            await mkfifo.WaitForExitAsync();
        }

        try
        {
            var root = _processes.Shell($"sleep 30 & echo started; read line < {fifo}; " + AllocatingChild());
            await TestProcesses.ReadLineAsync(root);
            var tree = new ProcessTreeMemory(root.Id);
            tree.Read(); // the first walk finds the sleep: a change from nothing

            await File.WriteAllTextAsync(fifo, "go\n");
            await TestProcesses.ReadLineAsync(root);

            Assert.True(tree.Read() >= Allocated, "the read after a walk that found new processes walks again");
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public async Task Read_OfAGoneRoot_IsZero()
    {
        using var process = System.Diagnostics.Process.Start("/bin/true")!;
        await process.WaitForExitAsync();

        Assert.Equal(0, new ProcessTreeMemory(process.Id).Read());
    }

    private static string AllocatingChild() =>
        "python3 -c \"import os, time; x = bytearray(b'\\x01') * 80_000_000; print(os.getpid(), flush=True); time.sleep(30)\" & wait";
}
