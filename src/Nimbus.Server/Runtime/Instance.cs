using System.Diagnostics;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

/// <summary>
/// One worker OS process of one version, serving one invocation at a time. The runtime API side waits in
/// <see cref="WaitForNextAsync"/>; the dispatcher hands work over with <see cref="Assign"/>.
/// </summary>
public sealed class Instance
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource<InitResult> _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _processStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recentOutput = new();
    private TaskCompletionSource<Invocation?>? _nextWaiter;
    private Invocation? _queued;
    private bool _stopping;

    public Instance(string id, VersionPool pool, int port, bool provisioned, DateTimeOffset now)
    {
        Id = id;
        Pool = pool;
        Port = port;
        Provisioned = provisioned;
        StartedAt = now;
        LastUsedAt = now;
        SpawnTimestamp = Stopwatch.GetTimestamp();
    }

    public string Id { get; }
    public VersionPool Pool { get; }
    public ExecutionTarget Target => Pool.Target;
    public int Port { get; }
    public bool Provisioned { get; set; }
    public DateTimeOffset StartedAt { get; }
    public long SpawnTimestamp { get; }
    public Process? Process { get; private set; }

    public int ProcessId { get; private set; }

    private volatile InstanceState _state = InstanceState.Starting;

    public InstanceState State
    {
        get => _state;
        set => _state = value;
    }

    public DateTimeOffset LastUsedAt { get; set; }
    public double? InitDurationMs { get; private set; }
    public long InvocationCount;

    /// <summary>The invocation being served, or null.</summary>
    public Invocation? Current { get; private set; }

    /// <summary>
    /// The invocation the worker last took with <c>invocation/next</c>. Output without a request id belongs to it until
    /// the worker asks for the next one: the runtime API says a worker signals completion by asking again.
    /// </summary>
    public volatile Invocation? LogOwner;

    /// <summary>Output chunks read from the pipes and not yet turned into records.</summary>
    public int OutputInProcess;

    public System.Runtime.InteropServices.SafeHandle? StdoutPipe { get; set; }
    public System.Runtime.InteropServices.SafeHandle? StderrPipe { get; set; }

    /// <summary>True while output the worker has written is still unread or unprocessed.</summary>
    public bool HasPendingOutput =>
        Volatile.Read(ref OutputInProcess) > 0
        || Linux.PipeBacklog.Available(StdoutPipe) > 0
        || Linux.PipeBacklog.Available(StderrPipe) > 0;

    /// <summary>
    /// Waits (briefly, bounded) until everything the worker wrote so far has become log records, so that the output of
    /// the invocation it just finished is attributed before the next one begins.
    /// </summary>
    public async ValueTask DrainOutputAsync()
    {
        for (var i = 0; i < 40 && HasPendingOutput; i++)
        {
            if (i < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
    }

    public long LastRssBytes;
    public long MaxRssBytesThisInvocation;

    /// <summary>Completes when the worker first asks for work (ready) or fails to initialise.</summary>
    public Task<InitResult> Initialized => _initialized.Task;

    public Task ProcessStarted => _processStarted.Task;

    /// <summary>Completes once the process has exited and the instance has been cleaned up.</summary>
    public Task Exited => _exited.Task;

    public void MarkExited() => _exited.TrySetResult();

    public void AttachProcess(Process process)
    {
        Process = process;
        ProcessId = process.Id;
        _processStarted.TrySetResult();
    }

    /// <summary>Called on the worker's first <c>next</c>: init is done.</summary>
    public void MarkInitialized()
    {
        if (InitDurationMs is null)
        {
            InitDurationMs = Stopwatch.GetElapsedTime(SpawnTimestamp).TotalMilliseconds;
            _initialized.TrySetResult(InitResult.Ready);
        }
    }

    public bool IsInitialized => _initialized.Task.IsCompleted;

    public void FailInit(string errorType, string message) => _initialized.TrySetResult(new InitResult(false, errorType, message));

    /// <summary>The runtime API's long poll: the next invocation, or null when the instance is stopping.</summary>
    /// <remarks>The caller cancels a pending wait with <see cref="CancelWaiter"/> when the worker's connection goes away.</remarks>
    public Task<Invocation?> WaitForNextAsync()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return Task.FromResult<Invocation?>(null);
            }

            if (_queued is { } queued)
            {
                _queued = null;
                return Task.FromResult<Invocation?>(queued);
            }

            var waiter = new TaskCompletionSource<Invocation?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _nextWaiter = waiter;
            return waiter.Task;
        }
    }

    public void CancelWaiter()
    {
        TaskCompletionSource<Invocation?>? waiter;
        lock (_gate)
        {
            waiter = _nextWaiter;
            _nextWaiter = null;
        }

        // The worker's connection went away while waiting; if work was handed over in that instant, keep it queued.
        if (waiter is not null && !waiter.TrySetCanceled() && waiter.Task.IsCompletedSuccessfully && waiter.Task.Result is { } lost)
        {
            lock (_gate)
            {
                _queued ??= lost;
            }
        }
    }

    /// <summary>Hands an invocation to the worker (now, or on its next <c>next</c>).</summary>
    public void Assign(Invocation invocation)
    {
        Current = invocation;
        Interlocked.Increment(ref InvocationCount);
        Interlocked.Exchange(ref MaxRssBytesThisInvocation, Interlocked.Read(ref LastRssBytes));
        invocation.AssignedTimestamp = Stopwatch.GetTimestamp();
        TaskCompletionSource<Invocation?>? waiter;
        lock (_gate)
        {
            waiter = _nextWaiter;
            _nextWaiter = null;
            if (waiter is null)
            {
                _queued = invocation;
            }
        }

        waiter?.TrySetResult(invocation);
    }

    /// <summary>The worker answered or the invocation ended otherwise; the instance no longer serves it.</summary>
    public void ClearCurrent(Invocation invocation)
    {
        if (ReferenceEquals(Current, invocation))
        {
            Current = null;
        }
    }

    /// <summary>Stops handing out work: a pending <c>next</c> gets no invocation.</summary>
    public void BeginStop()
    {
        TaskCompletionSource<Invocation?>? waiter;
        lock (_gate)
        {
            _stopping = true;
            waiter = _nextWaiter;
            _nextWaiter = null;
        }

        waiter?.TrySetResult(null);
    }

    /// <summary>Keeps the last few output lines, to explain an init failure or a crash.</summary>
    public void RememberOutput(string line)
    {
        lock (_recentOutput)
        {
            _recentOutput.Enqueue(line.Length > 300 ? line[..300] : line);
            while (_recentOutput.Count > 5)
            {
                _recentOutput.Dequeue();
            }
        }
    }

    public string RecentOutput()
    {
        lock (_recentOutput)
        {
            return string.Join(" | ", _recentOutput);
        }
    }
}
