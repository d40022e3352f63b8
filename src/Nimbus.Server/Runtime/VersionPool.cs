using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

/// <summary>The instances of one execution target (a version, or <c>$LATEST</c> at one revision).</summary>
/// <remarks>
/// A retired pool takes no instance back to idle; once it is also empty it is closed: nothing can be added to it, and
/// the dispatcher forgets it. A caller that still holds a closed pool starts its instance in a new, retired one.
/// The free list holds the instances with a free slot: the idle ones and, with <c>concurrencyPerInstance</c> above 1,
/// the busy ones that serve fewer invocations than they can; a take prefers the most recently listed.
/// </remarks>
public sealed class VersionPool
{
    private readonly object _gate = new();
    private readonly List<Instance> _free = [];
    private readonly List<Instance> _all = [];
    private readonly Nimbus.Core.Instances.StartingSlots _starting = new();
    private TaskCompletionSource? _idleSignal;

    public VersionPool(ExecutionTarget target, bool retired = false)
    {
        Target = target;
        Retired = retired;
    }

    public ExecutionTarget Target { get; }
    public string Key => Target.PoolKey;

    /// <summary>Set when the target no longer exists (new code, deleted function): instances stop once idle.</summary>
    public bool Retired { get; private set; }

    /// <summary>Retired and empty: the pool accepts no instance any more.</summary>
    public bool IsClosed { get; private set; }

    public int ConsecutiveInitFailures { get; private set; }
    public DateTimeOffset LastInitFailureAt { get; private set; }
    public string? LastInitErrorType { get; private set; }
    public string? LastInitErrorMessage { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>Adds a new instance; false when the pool is closed.</summary>
    public bool TryAdd(Instance instance)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return false;
            }

            _all.Add(instance);
            return true;
        }
    }

    /// <summary>
    /// A slot of the most recently used instance with one free (the instance is Busy now), so that the others can go
    /// idle long enough to be stopped.
    /// </summary>
    public bool TryTakeSlot(out Instance instance)
    {
        lock (_gate)
        {
            while (_free.Count > 0)
            {
                instance = _free[^1];
                if (instance.TryTake())
                {
                    if (!instance.HasFreeSlot)
                    {
                        Unlist(instance);
                    }

                    return true;
                }

                Unlist(instance);
            }

            instance = null!;
            return false;
        }
    }

    /// <summary>Invocations each instance of this pool serves at once.</summary>
    public int SlotsPerInstance => Math.Max(1, Target.Config.EffectiveConcurrencyPerInstance);

    /// <summary>
    /// One decision under the lock, so that a burst cannot all decide to start at once: take a free slot, else wait for
    /// a slot of an instance still starting (<see cref="SlotDecision.Promised"/>: the caller waits, then calls
    /// <see cref="ReleasePromise"/>), else start an instance whose spare slots are counted from now
    /// (<see cref="SlotDecision.Start"/>: the caller passes them to <see cref="BeginStarting"/> or <see cref="CancelReservation"/>).
    /// </summary>
    public SlotDecision TakeSlotPromiseOrReserve(out Instance instance)
    {
        lock (_gate)
        {
            if (TryTakeSlot(out instance))
            {
                return SlotDecision.Taken;
            }

            if (_starting.TryPromise())
            {
                return SlotDecision.Promised;
            }

            _starting.InstanceStarting(SlotsPerInstance - 1);
            return SlotDecision.Start;
        }
    }

    /// <summary>The caller that reserved <paramref name="spare"/> slots starts no instance after all.</summary>
    public void CancelReservation(int spare)
    {
        if (spare <= 0)
        {
            return;
        }

        TaskCompletionSource? signal;
        lock (_gate)
        {
            _starting.InstanceStarted(spare);
            signal = TakeSignal();
        }

        signal?.TrySetResult();
    }

    /// <summary>
    /// Binds the slots a starting instance will offer beyond its own call: <paramref name="reserved"/> by the cold
    /// caller, or all of them for a provisioned start.
    /// </summary>
    public void BeginStarting(Instance instance, int reserved)
    {
        var spare = instance.Provisioned ? instance.Slots : reserved;
        if (spare <= 0)
        {
            return;
        }

        lock (_gate)
        {
            instance.StartingSpare = spare;
            if (instance.Provisioned)
            {
                _starting.InstanceStarting(spare);
            }
        }
    }

    /// <summary>The start ended (ready or failed): callers promised its slots look again (and start their own if none is free).</summary>
    public void EndStarting(Instance instance)
    {
        if (instance.StartingSpare == 0)
        {
            return;
        }

        TaskCompletionSource? signal;
        lock (_gate)
        {
            signal = EndStartingLocked(instance);
        }

        signal?.TrySetResult();
    }

    private TaskCompletionSource? EndStartingLocked(Instance instance)
    {
        if (instance.StartingSpare == 0)
        {
            return null;
        }

        _starting.InstanceStarted(instance.StartingSpare);
        instance.StartingSpare = 0;
        return TakeSignal();
    }

    public void ReleasePromise()
    {
        lock (_gate)
        {
            _starting.ReleasePromise();
        }
    }

    /// <summary>
    /// Starting → Busy for the cold invocation that waited for the instance; its other slots become free to take.
    /// False when the instance died or began stopping right after it became ready.
    /// </summary>
    public bool TryBeginServing(Instance instance)
    {
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            if (!instance.TryBeginServing())
            {
                return false;
            }

            if (instance.HasFreeSlot && !Retired)
            {
                List(instance);
            }

            signal = EndStartingLocked(instance) ?? TakeSignal();
        }

        signal?.TrySetResult();
        return true;
    }

    /// <summary>An invocation on a shared instance timed out: it takes no more work and stops after its last invocation.</summary>
    public void Recycle(Instance instance)
    {
        lock (_gate)
        {
            instance.MarkRecycling();
            Unlist(instance);
        }
    }

    /// <summary>
    /// Frees the slot of an invocation that ended and lists the instance as having a free slot (Busy → Idle when it was
    /// the last, or a provisioned Starting → Idle). False when the pool is retired or the instance recycling and this was
    /// its last invocation, or the instance is stopping or dead: the caller must stop it.
    /// </summary>
    public bool TryReturnIdle(Instance instance, DateTimeOffset now)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            instance.Statistics.MarkUsed(now);
            if (Retired || instance.Recycling)
            {
                // Its other invocations finish first; the last one to end stops it.
                return instance.TryReleaseSharedSlot();
            }

            if (!instance.TryReturnIdle())
            {
                return false;
            }

            if (!instance.Listed)
            {
                List(instance);
            }

            signal = EndStartingLocked(instance) ?? TakeSignal();
        }

        signal?.TrySetResult();
        return true;
    }

    /// <summary>Completes when a slot may be free here (one is now, or one was freed after this call).</summary>
    public Task WhenSlotAvailable()
    {
        lock (_gate)
        {
            if (_free.Count > 0)
            {
                return Task.CompletedTask;
            }

            return (_idleSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private TaskCompletionSource? TakeSignal()
    {
        var signal = _idleSignal;
        _idleSignal = null;
        return signal;
    }

    private void List(Instance instance)
    {
        _free.Add(instance);
        instance.Listed = true;
    }

    private void Unlist(Instance instance)
    {
        if (instance.Listed)
        {
            if (ReferenceEquals(_free[^1], instance))
            {
                _free.RemoveAt(_free.Count - 1);
            }
            else
            {
                _free.Remove(instance);
            }

            instance.Listed = false;
        }
    }

    /// <summary>Forgets an instance that has died; true when that closed the pool (retired and now empty).</summary>
    public bool Remove(Instance instance)
    {
        lock (_gate)
        {
            _all.Remove(instance);
            Unlist(instance);
            EndStartingLocked(instance)?.TrySetResult();

            return CloseIfEmpty();
        }
    }

    public Instance[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _all];
        }
    }

    /// <summary>Marks the pool retired and returns its instances; an empty pool is closed at once.</summary>
    public Instance[] Retire()
    {
        lock (_gate)
        {
            Retired = true;
            CloseIfEmpty();
            return [.. _all];
        }
    }

    private bool CloseIfEmpty()
    {
        if (!Retired || IsClosed || _all.Count > 0)
        {
            return false;
        }

        IsClosed = true;
        return true;
    }

    public void RecordInitFailure(string errorType, string message, DateTimeOffset now)
    {
        lock (_gate)
        {
            ConsecutiveInitFailures++;
            LastInitFailureAt = now;
            LastInitErrorType = errorType;
            LastInitErrorMessage = message;
        }
    }

    public void RecordInitSuccess()
    {
        lock (_gate)
        {
            ConsecutiveInitFailures = 0;
        }
    }

    public bool MayStart(DateTimeOffset now)
    {
        lock (_gate)
        {
            return InitBackoffPolicy.MayStart(ConsecutiveInitFailures, LastInitFailureAt, now);
        }
    }
}
