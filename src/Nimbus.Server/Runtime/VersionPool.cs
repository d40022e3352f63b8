using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

/// <summary>The instances of one execution target (a version, or <c>$LATEST</c> at one revision).</summary>
/// <remarks>
/// A retired pool takes no instance back to idle; once it is also empty it is closed: nothing can be added to it, and
/// the dispatcher forgets it. A caller that still holds a closed pool starts its instance in a new, retired one.
/// </remarks>
public sealed class VersionPool
{
    private readonly object _gate = new();
    private readonly Stack<Instance> _idle = new();
    private readonly List<Instance> _all = [];
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

    /// <summary>The most recently used idle instance (now Busy), so that the others can go idle long enough to be stopped.</summary>
    public bool TryTakeIdle(out Instance instance)
    {
        lock (_gate)
        {
            while (_idle.TryPop(out instance!))
            {
                if (instance.TryTake())
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Returns an instance to the idle set (Busy → Idle, or a provisioned Starting → Idle); false when the pool is retired
    /// or the instance is stopping or dead, and the caller must stop it.
    /// </summary>
    public bool TryReturnIdle(Instance instance, DateTimeOffset now)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            if (Retired)
            {
                return false;
            }

            instance.Statistics.MarkUsed(now);
            if (!instance.TryReturnIdle())
            {
                return false;
            }

            _idle.Push(instance);
            signal = _idleSignal;
            _idleSignal = null;
        }

        signal?.TrySetResult();
        return true;
    }

    /// <summary>Completes when an instance may be idle here (one is now, or one went back to idle after this call).</summary>
    public Task WhenIdleAvailable()
    {
        lock (_gate)
        {
            if (_idle.Count > 0)
            {
                return Task.CompletedTask;
            }

            return (_idleSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Forgets an instance that has died; true when that closed the pool (retired and now empty).</summary>
    public bool Remove(Instance instance)
    {
        lock (_gate)
        {
            _all.Remove(instance);
            if (_idle.Contains(instance))
            {
                var keep = _idle.Where(i => !ReferenceEquals(i, instance)).Reverse().ToArray();
                _idle.Clear();
                foreach (var i in keep)
                {
                    _idle.Push(i);
                }
            }

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
