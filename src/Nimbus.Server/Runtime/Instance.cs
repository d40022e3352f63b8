using System.Diagnostics;
using Nimbus.Core.Instances;
using Nimbus.Core.Routing;
using Nimbus.Core.Security.Secrets;

namespace Nimbus.Server.Runtime;

/// <summary>
/// One worker OS process of one version, serving one invocation at a time. The runtime API side waits in
/// <see cref="WaitForNextAsync"/>; the dispatcher hands work over with <see cref="TryAssign"/>.
/// </summary>
/// <remarks>
/// The instance owns its state: every change goes through <see cref="InstanceTransitions"/> and is one atomic
/// compare-and-swap, so an instance that was marked Dead can never be taken again. Handing an invocation over and
/// observing the process exit are serialised on the instance's gate: either the exit sees the invocation and fails it,
/// or the hand-over sees the exit and is refused, so no invocation is left waiting for a worker that is gone.
/// </remarks>
public sealed class Instance
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<InitResult> _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _processStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<Invocation?>? _nextWaiter;
    private Invocation? _queued;
    private Invocation? _current;
    private int _state = (int)InstanceState.Starting;
    private double _initDurationMs = double.NaN;
    private SecretRedactor _redactor = SecretRedactor.None;

    public Instance(string id, VersionPool pool, int port, bool provisioned, TimeProvider time)
    {
        Id = id;
        Pool = pool;
        Port = port;
        Provisioned = provisioned;
        _time = time;
        StartedAt = time.GetUtcNow();
        SpawnTimestamp = time.GetTimestamp();
        Statistics = new InstanceStatistics(StartedAt);
    }

    public string Id { get; }
    public VersionPool Pool { get; }
    public ExecutionTarget Target => Pool.Target;
    public int Port { get; }

    /// <summary>Started to keep warm for provisioned concurrency (no caller waits for its start).</summary>
    public bool Provisioned { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at the spawn; the init duration is measured from here.</summary>
    public long SpawnTimestamp { get; }

    public Process? Process { get; private set; }
    public int ProcessId { get; private set; }

    public InstanceState State => (InstanceState)Volatile.Read(ref _state);

    public InstanceStatistics Statistics { get; }
    public LogAttribution Logs { get; } = new();

    /// <summary>
    /// What the worker presents as <c>X-Aws-Parameters-Secrets-Token</c> to read secrets through its runtime port (it
    /// gets it as <c>AWS_SESSION_TOKEN</c>, as Lambda's extension expects). Random per instance.
    /// </summary>
    public string SecretsToken { get; internal set; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Masks the secret values this instance was given or has read in its output and error reports.</summary>
    public SecretRedactor Redactor => Volatile.Read(ref _redactor);

    /// <summary>From now on <paramref name="value"/> is masked in this instance's output.</summary>
    public void AddSecretValue(string value)
    {
        while (true)
        {
            var current = Redactor;
            var next = current.With(value);
            if (ReferenceEquals(next, current) || ReferenceEquals(Interlocked.CompareExchange(ref _redactor, next, current), current))
            {
                return;
            }
        }
    }

    public double? InitDurationMs
    {
        get
        {
            var ms = Volatile.Read(ref _initDurationMs);
            return double.IsNaN(ms) ? null : ms;
        }
    }

    /// <summary>The invocation being served, or null.</summary>
    public Invocation? Current => Volatile.Read(ref _current);

    /// <summary>Completes when the worker first asks for work (ready) or fails to initialise.</summary>
    public Task<InitResult> Initialized => _initialized.Task;

    public bool IsInitialized => _initialized.Task.IsCompleted;

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

    // ---------------------------------------------------------------- transitions

    /// <summary>Idle → Busy: an invocation takes this instance. Called under the pool's lock.</summary>
    public bool TryTake() => TryTransition(InstanceState.Idle, InstanceState.Busy);

    /// <summary>Starting → Busy: init is done and the cold invocation that waited for it runs now.</summary>
    public bool TryBeginServing() => TryTransition(InstanceState.Starting, InstanceState.Busy);

    /// <summary>Busy → Idle after an invocation, or Starting → Idle for a provisioned instance. Called under the pool's lock.</summary>
    public bool TryReturnIdle() =>
        TryTransition(InstanceState.Busy, InstanceState.Idle) || (Provisioned && TryTransition(InstanceState.Starting, InstanceState.Idle));

    /// <summary>Idle → Draining: claims an idle instance for stopping, so no invocation can take it meanwhile.</summary>
    public bool TryClaimIdleForStop() => TryTransition(InstanceState.Idle, InstanceState.Draining);

    /// <summary>
    /// Any live state → Draining: no more work for it; a pending <c>next</c> gets no invocation. True when the instance
    /// is draining now (whoever moved it there), false when it is already dead.
    /// </summary>
    public bool BeginDrain()
    {
        while (true)
        {
            var state = State;
            if (state == InstanceState.Dead)
            {
                return false;
            }

            if (state == InstanceState.Draining || TryTransition(state, InstanceState.Draining))
            {
                break;
            }
        }

        TaskCompletionSource<Invocation?>? waiter;
        lock (_gate)
        {
            waiter = _nextWaiter;
            _nextWaiter = null;
        }

        waiter?.TrySetResult(null);
        return true;
    }

    /// <summary>
    /// Any state → Dead: the process exit was observed. Returns the invocation that was handed over and not finished
    /// (the caller fails it), or null. Idempotent.
    /// </summary>
    public Invocation? MarkDead()
    {
        TaskCompletionSource<Invocation?>? waiter;
        Invocation? current;
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _state, (int)InstanceState.Dead) == (int)InstanceState.Dead)
            {
                return null;
            }

            current = _current;
            waiter = _nextWaiter;
            _nextWaiter = null;
            _queued = null;
        }

        waiter?.TrySetResult(null);
        return current;
    }

    /// <summary>Applies <paramref name="from"/> → <paramref name="to"/> atomically; false when the instance is no longer in <paramref name="from"/>.</summary>
    private bool TryTransition(InstanceState from, InstanceState to)
    {
        if (!InstanceTransitions.IsAllowed(from, to))
        {
            throw new InvalidOperationException($"Instance {Id}: {from} → {to} is not a transition of the instance lifecycle");
        }

        return Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;
    }

    // ---------------------------------------------------------------- init

    /// <summary>Called on the worker's first <c>next</c>: init is done.</summary>
    public void MarkInitialized()
    {
        if (IsInitialized)
        {
            return;
        }

        Interlocked.CompareExchange(ref _initDurationMs, _time.GetElapsedTime(SpawnTimestamp).TotalMilliseconds, double.NaN);
        _initialized.TrySetResult(InitResult.Ready);
    }

    public void FailInit(string errorType, string message) => _initialized.TrySetResult(new InitResult(false, errorType, message));

    // ---------------------------------------------------------------- hand-over

    /// <summary>The runtime API's long poll: the next invocation, or null when the instance is stopping.</summary>
    /// <remarks>The caller cancels a pending wait with <see cref="CancelWaiter"/> when the worker's connection goes away.</remarks>
    public Task<Invocation?> WaitForNextAsync()
    {
        lock (_gate)
        {
            if (State is InstanceState.Draining or InstanceState.Dead)
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
                if (State != InstanceState.Dead)
                {
                    _queued ??= lost;
                }
            }
        }
    }

    /// <summary>
    /// Hands an invocation to the worker (now, or on its next <c>next</c>). False when the instance is no longer Busy
    /// (it died or began stopping after it was taken): the invocation never reached the function and may go elsewhere.
    /// </summary>
    /// <param name="beforeDelivery">Runs once the hand-over is certain and before the worker can see the invocation.</param>
    public bool TryAssign(Invocation invocation, Action<Invocation>? beforeDelivery = null)
    {
        TaskCompletionSource<Invocation?>? waiter;
        lock (_gate)
        {
            if (State != InstanceState.Busy)
            {
                return false;
            }

            Volatile.Write(ref _current, invocation);
            Statistics.InvocationStarted();
            invocation.MarkAssigned();
            beforeDelivery?.Invoke(invocation);
            waiter = _nextWaiter;
            _nextWaiter = null;
            if (waiter is null)
            {
                _queued = invocation;
            }
        }

        waiter?.TrySetResult(invocation);
        return true;
    }

    /// <summary>The worker answered or the invocation ended otherwise; the instance no longer serves it.</summary>
    /// <remarks>An invocation that ended while still queued (timeout, memory) ends its instance too, so the queue needs no cleanup.</remarks>
    public void ClearCurrent(Invocation invocation) => Interlocked.CompareExchange(ref _current, null, invocation);
}
