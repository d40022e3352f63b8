using System.Threading.Channels;
using Nimbus.Core.Instances;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>An <see cref="IInstanceLauncher"/> that starts <see cref="FakeWorker"/>s the test drives, instead of processes.</summary>
internal sealed class FakeLauncher : IInstanceLauncher
{
    private readonly Channel<FakeWorker> _started = Channel.CreateUnbounded<FakeWorker>();
    private readonly List<FakeWorker> _workers = [];
    private int _maxStarting;

    /// <summary>Whether a kill makes the worker exit at once (with SIGKILL's status), as a real kill does soon after.</summary>
    public bool ExitOnKill { get; set; } = true;

    /// <summary>When set, the launch fails with this message (a missing package, an unknown runtime).</summary>
    public string? LaunchFailure { get; set; }

    /// <summary>When set, runs for every launched worker (on the thread pool), e.g. to make it ready and answer.</summary>
    public Func<FakeWorker, Task>? OnLaunch { get; set; }

    public IReadOnlyList<FakeWorker> Workers
    {
        get
        {
            lock (_workers)
            {
                return [.. _workers];
            }
        }
    }

    public int Launches => Workers.Count;

    /// <summary>The most instances that were Starting at once, counted at each launch.</summary>
    public int MaxStarting => Volatile.Read(ref _maxStarting);

    public Task StartAsync(Instance instance, Action<Instance, int> onExited, CancellationToken cancellationToken)
    {
        if (LaunchFailure is { } failure)
        {
            throw new WorkerLaunchException(failure);
        }

        var worker = new FakeWorker(instance, onExited);
        int starting;
        lock (_workers)
        {
            _workers.Add(worker);
            starting = _workers.Count(w => w.Instance.State == InstanceState.Starting);
        }

        int max;
        while (starting > (max = Volatile.Read(ref _maxStarting)) && Interlocked.CompareExchange(ref _maxStarting, starting, max) != max)
        {
        }

        if (OnLaunch is { } onLaunch)
        {
            _ = Task.Run(() => onLaunch(worker), CancellationToken.None);
        }
        else
        {
            _started.Writer.TryWrite(worker);
        }

        return Task.CompletedTask;
    }

    public void Kill(Instance instance)
    {
        // As for a real process: a kill before the worker runs finds nothing to kill.
        if (Workers.SingleOrDefault(w => ReferenceEquals(w.Instance, instance)) is not { } worker)
        {
            return;
        }

        worker.CountKill();
        if (ExitOnKill)
        {
            worker.Exit(137);
        }
    }

    /// <summary>The next worker the dispatcher starts (in launch order).</summary>
    public async Task<FakeWorker> NextLaunchAsync() => await _started.Reader.ReadAsync().AsTask().WaitAsync(TestGuard.Timeout);

    /// <summary>True when no launch happened that <see cref="NextLaunchAsync"/> has not returned yet.</summary>
    public bool NoPendingLaunch => _started.Reader.Count == 0;
}
