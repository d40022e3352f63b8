using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

/// <summary>The instances of one execution target (a version, or <c>$LATEST</c> at one revision).</summary>
public sealed class VersionPool
{
    private readonly object _gate = new();
    private readonly Stack<Instance> _idle = new();
    private readonly List<Instance> _all = [];

    public VersionPool(ExecutionTarget target) => Target = target;

    public ExecutionTarget Target { get; }
    public string Key => Target.PoolKey;

    /// <summary>Set when the target no longer exists (new code, deleted function): instances stop once idle.</summary>
    public bool Retired { get; private set; }

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

    public void Add(Instance instance)
    {
        lock (_gate)
        {
            _all.Add(instance);
        }
    }

    /// <summary>The most recently used idle instance, so that the others can go idle long enough to be stopped.</summary>
    public bool TryTakeIdle(out Instance instance)
    {
        lock (_gate)
        {
            while (_idle.TryPop(out instance!))
            {
                if (instance.State == InstanceState.Idle)
                {
                    instance.State = InstanceState.Busy;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Returns an instance to the idle set; false when the pool is retired and the caller must stop it.</summary>
    public bool ReturnIdle(Instance instance, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Retired || instance.State != InstanceState.Busy)
            {
                return false;
            }

            instance.LastUsedAt = now;
            instance.State = InstanceState.Idle;
            _idle.Push(instance);
            return true;
        }
    }

    /// <summary>Removes an instance that is stopping or dead; true when it was an idle one (now taken out).</summary>
    public void Remove(Instance instance)
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
        }
    }

    /// <summary>Marks an idle instance as draining so no invocation takes it; false when it was not idle.</summary>
    public bool TryClaimIdleForStop(Instance instance)
    {
        lock (_gate)
        {
            if (instance.State != InstanceState.Idle)
            {
                return false;
            }

            instance.State = InstanceState.Draining;
            return true;
        }
    }

    public Instance[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _all];
        }
    }

    public Instance[] Retire()
    {
        lock (_gate)
        {
            Retired = true;
            return [.. _all];
        }
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
