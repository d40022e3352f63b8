using System.Diagnostics;
using Nimbus.Core.Instances;
using Nimbus.Core.Routing;
using Nimbus.Core.Security.Secrets;

namespace Nimbus.Server.Runtime;

/// <summary>
/// One worker OS process of one version, serving up to <see cref="Slots"/> invocations at once (the function's
/// <c>concurrencyPerInstance</c>, 1 by default). The runtime API side waits in <see cref="WaitForNextAsync"/> (up to
/// <see cref="Slots"/> waits at once); the dispatcher hands work over with <see cref="TryAssign"/>.
/// </summary>
/// <remarks>
/// The instance owns its state: every change goes through <see cref="InstanceTransitions"/> and is one atomic
/// compare-and-swap, so an instance that was marked Dead can never be taken again. Handing an invocation over and
/// observing the process exit are serialised on the instance's gate: either the exit sees the invocation and fails it,
/// or the hand-over sees the exit and is refused, so no invocation is left waiting for a worker that is gone.
/// Slots: Idle is no slot taken, Busy is at least one. The slot count changes under the pool's lock
/// (<see cref="VersionPool"/>), which also keeps the list of instances with a free slot.
/// </remarks>
public sealed class Instance
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<InitResult> _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _processStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The worker's outstanding `next` requests (at most Slots), the invocations handed over before it asked, and the
    // invocations it serves; all under _gate.
    private readonly List<TaskCompletionSource<Invocation?>> _nextWaiters = new(1);
    private readonly Queue<Invocation> _queued = new(1);
    private readonly Invocation?[] _inFlight;
    private int _taken;
    private bool _recycling;
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
        Slots = Math.Max(1, pool.Target.Config.EffectiveConcurrencyPerInstance);
        _inFlight = new Invocation?[Slots];
    }

    /// <summary>How many invocations this instance serves at once.</summary>
    public int Slots { get; }

    /// <summary>Slots taken by invocations (read under the pool's lock to act on it).</summary>
    public int TakenSlots => Volatile.Read(ref _taken);

    /// <summary>Set when the instance takes no more work and stops once its last invocation ends (a timeout on a shared instance).</summary>
    public bool Recycling => Volatile.Read(ref _recycling);

    /// <summary>Whether an invocation can take a slot now (Idle, or Busy with a slot free and not recycling).</summary>
    public bool HasFreeSlot => State switch
    {
        InstanceState.Idle => true,
        InstanceState.Busy => TakenSlots < Slots && !Recycling,
        _ => false,
    };

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

    /// <summary>
    /// The nice value of the worker's scheduling group, when the platform set one (several slots, Linux autogroups on,
    /// and the right to raise a group's weight); null otherwise.
    /// </summary>
    public int? SchedulingNice { get; internal set; }

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

    /// <summary>An invocation being served (the only one when <see cref="Slots"/> is 1), or null.</summary>
    public Invocation? Current
    {
        get
        {
            var slots = _inFlight;
            for (var i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is { } current)
                {
                    return current;
                }
            }

            return null;
        }
    }

    /// <summary>The invocations being served now.</summary>
    public Invocation[] InFlight()
    {
        lock (_gate)
        {
            return [.. _inFlight.Where(i => i is not null).Select(i => i!)];
        }
    }

    /// <summary>The invocation with <paramref name="requestId"/> that this instance serves, or null.</summary>
    public Invocation? FindInFlight(ReadOnlySpan<char> requestId)
    {
        var slots = _inFlight;
        for (var i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is { } invocation && requestId.SequenceEqual(invocation.RequestId))
            {
                return invocation;
            }
        }

        return null;
    }

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

    /// <summary>
    /// An invocation takes a slot: Idle → Busy, or one more slot of a Busy instance that has one free. Called under the
    /// pool's lock.
    /// </summary>
    public bool TryTake()
    {
        if (TryTransition(InstanceState.Idle, InstanceState.Busy))
        {
            Volatile.Write(ref _taken, 1);
            return true;
        }

        if (Slots > 1 && State == InstanceState.Busy && !Recycling && TakenSlots < Slots)
        {
            Volatile.Write(ref _taken, TakenSlots + 1);
            return State == InstanceState.Busy || Undo();
        }

        return false;

        bool Undo()
        {
            Volatile.Write(ref _taken, TakenSlots - 1);
            return false;
        }
    }

    /// <summary>Starting → Busy: init is done and the cold invocation that waited for it runs now (it takes the first slot).</summary>
    public bool TryBeginServing()
    {
        if (!TryTransition(InstanceState.Starting, InstanceState.Busy))
        {
            return false;
        }

        Volatile.Write(ref _taken, 1);
        return true;
    }

    /// <summary>
    /// Frees the slot of an invocation that ended: Busy → Idle when it was the last one, or Starting → Idle for a
    /// provisioned instance. Called under the pool's lock. False when the instance is stopping or dead.
    /// </summary>
    public bool TryReturnIdle()
    {
        if (Provisioned && TryTransition(InstanceState.Starting, InstanceState.Idle))
        {
            return true;
        }

        if (State != InstanceState.Busy)
        {
            return false;
        }

        if (TakenSlots > 1)
        {
            Volatile.Write(ref _taken, TakenSlots - 1);
            return true;
        }

        if (!TryTransition(InstanceState.Busy, InstanceState.Idle))
        {
            return false;
        }

        Volatile.Write(ref _taken, 0);
        return true;
    }

    /// <summary>Frees a slot when others stay taken (the instance keeps serving them); false when it is the last one.</summary>
    public bool TryReleaseSharedSlot()
    {
        if (State != InstanceState.Busy || TakenSlots <= 1)
        {
            return false;
        }

        Volatile.Write(ref _taken, TakenSlots - 1);
        return true;
    }

    /// <summary>Slots this instance promised its pool while starting (see <see cref="VersionPool.BeginStarting"/>); under the pool's lock.</summary>
    internal int StartingSpare { get; set; }

    /// <summary>On its pool's free list (read and written under the pool's lock).</summary>
    internal bool Listed { get; set; }

    /// <summary>No more work for this instance: it stops once its last invocation ends. Called under the pool's lock.</summary>
    public void MarkRecycling() => Volatile.Write(ref _recycling, true);

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

        TaskCompletionSource<Invocation?>[] waiters;
        lock (_gate)
        {
            waiters = TakeWaiters();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(null);
        }

        return true;
    }

    /// <summary>
    /// Any state → Dead: the process exit was observed. Returns the invocations that were handed over and not finished
    /// (the caller fails each), or none. Idempotent.
    /// </summary>
    public IReadOnlyList<Invocation> MarkDead()
    {
        TaskCompletionSource<Invocation?>[] waiters;
        Invocation[] current;
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _state, (int)InstanceState.Dead) == (int)InstanceState.Dead)
            {
                return [];
            }

            current = [.. _inFlight.Where(i => i is not null).Select(i => i!)];
            waiters = TakeWaiters();
            _queued.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(null);
        }

        return current;
    }

    private TaskCompletionSource<Invocation?>[] TakeWaiters()
    {
        if (_nextWaiters.Count == 0)
        {
            return [];
        }

        var waiters = _nextWaiters.ToArray();
        _nextWaiters.Clear();
        return waiters;
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
        TaskCompletionSource<Invocation?>? replaced = null;
        Task<Invocation?> next;
        lock (_gate)
        {
            if (State is InstanceState.Draining or InstanceState.Dead)
            {
                return Task.FromResult<Invocation?>(null);
            }

            if (_queued.TryDequeue(out var queued))
            {
                return Task.FromResult<Invocation?>(queued);
            }

            if (_nextWaiters.Count >= Slots)
            {
                // A worker holds more `next` requests than it has slots: the oldest one is answered "stopping" (as a
                // replaced connection), so the count stays bounded.
                replaced = _nextWaiters[0];
                _nextWaiters.RemoveAt(0);
            }

            // Completed outside the gate (TryAssign, BeginDrain, MarkDead, CancelWaiter, here), and its continuation, the
            // worker's `next` answer, runs on the completing thread: the caller's request writes it without a pool hand-off.
            var waiter = new TaskCompletionSource<Invocation?>();
            _nextWaiters.Add(waiter);
            next = waiter.Task;
        }

        replaced?.TrySetResult(null);
        return next;
    }

    /// <summary>The worker's connection that waited in <paramref name="waiting"/> went away.</summary>
    public void CancelWaiter(Task<Invocation?> waiting)
    {
        TaskCompletionSource<Invocation?>? waiter = null;
        lock (_gate)
        {
            var index = _nextWaiters.FindIndex(w => ReferenceEquals(w.Task, waiting));
            if (index >= 0)
            {
                waiter = _nextWaiters[index];
                _nextWaiters.RemoveAt(index);
            }
        }

        // If work was handed over in that instant, keep it queued for the worker's next ask.
        if (waiter is not null && !waiter.TrySetCanceled() && waiter.Task.IsCompletedSuccessfully && waiter.Task.Result is { } lost)
        {
            Requeue(lost);
        }
    }

    private void Requeue(Invocation invocation)
    {
        lock (_gate)
        {
            if (State != InstanceState.Dead && !_queued.Contains(invocation))
            {
                _queued.Enqueue(invocation);
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
        TaskCompletionSource<Invocation?>? waiter = null;
        lock (_gate)
        {
            if (State != InstanceState.Busy)
            {
                return false;
            }

            var slot = Array.IndexOf(_inFlight, null);
            if (slot < 0)
            {
                return false; // more hand-overs than slots taken: a bug in the caller, refused rather than lost
            }

            Volatile.Write(ref _inFlight[slot], invocation);
            Statistics.InvocationStarted();
            invocation.MarkAssigned();
            beforeDelivery?.Invoke(invocation);
            if (_nextWaiters.Count > 0)
            {
                waiter = _nextWaiters[0];
                _nextWaiters.RemoveAt(0);
            }
            else
            {
                _queued.Enqueue(invocation);
            }
        }

        waiter?.TrySetResult(invocation);
        return true;
    }

    /// <summary>The worker answered or the invocation ended otherwise; the instance no longer serves it.</summary>
    public void ClearCurrent(Invocation invocation)
    {
        lock (_gate)
        {
            var slot = Array.IndexOf(_inFlight, invocation);
            if (slot >= 0)
            {
                Volatile.Write(ref _inFlight[slot], null);
            }

            // Ended before the worker took it (a timeout on a shared instance that keeps running): not for the worker.
            if (_queued.Count > 0 && _queued.Contains(invocation))
            {
                var keep = _queued.Where(i => !ReferenceEquals(i, invocation)).ToArray();
                _queued.Clear();
                foreach (var queued in keep)
                {
                    _queued.Enqueue(queued);
                }
            }
        }
    }
}
