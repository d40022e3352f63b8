namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Reads the resident memory of one worker's process tree again and again, cheaply. Walking the tree (the worker's
/// threads and each one's children, for every process of the tree) on every read cost 56 µs of CPU for a worker in its
/// bubblewrap sandbox (three processes); reading each known process's statm and walking one read in ten costs 24 µs
/// (20,000 reads each, this machine). So the tree is walked on the first read, on every <see cref="RefreshEvery"/>th
/// read after it, on the read after a walk that found other processes than the walk before it (a worker in its sandbox
/// is three processes started one after the other), and on the read after a process it knew has gone; the reads in
/// between read each known process's statm. A process the worker starts is counted from the next walk: at most
/// <see cref="RefreshEvery"/> reads (a second for a busy instance) after it started.
/// Not thread-safe: one monitor loop reads it.
/// </summary>
public sealed class ProcessTreeMemory
{
    public const int RefreshEvery = 10;

    private readonly List<int> _descendants = [];
    private readonly List<int> _walked = [];
    private int _readsSinceWalk = RefreshEvery;

    public ProcessTreeMemory(int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(root);
        Root = root;
    }

    public int Root { get; }

    /// <summary>Resident bytes of the root and the descendants known; 0 once the root is gone.</summary>
    public long Read()
    {
        if (_readsSinceWalk >= RefreshEvery)
        {
            _walked.Clear();
            ProcessTree.CollectDescendants(Root, _walked);
            // A tree that changed since the last walk (a worker still starting its processes) is walked again next time.
            _readsSinceWalk = _walked.SequenceEqual(_descendants) ? 0 : RefreshEvery - 1;
            _descendants.Clear();
            _descendants.AddRange(_walked);
        }

        _readsSinceWalk++;
        var total = ProcessTree.ResidentBytes(Root);
        if (total < 0)
        {
            return 0;
        }

        foreach (var descendant in _descendants)
        {
            var bytes = ProcessTree.ResidentBytes(descendant);
            if (bytes < 0)
            {
                _readsSinceWalk = RefreshEvery; // the tree changed: walk it again next time
                continue;
            }

            total += bytes;
        }

        return total;
    }
}
