namespace Nimbus.Core.Instances;

/// <summary>
/// Which instance state changes are legal (docs/design/dispatcher.md, "Instance states"). Pure: the instance applies a
/// change atomically and refuses any pair this table does not allow.
/// </summary>
public static class InstanceTransitions
{
    private const int StateCount = (int)InstanceState.Dead + 1;

    // [from, to]
    private static readonly bool[,] s_allowed = Build();

    /// <summary>Whether an instance in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(InstanceState from, InstanceState to) =>
        (uint)from < StateCount && (uint)to < StateCount && s_allowed[(int)from, (int)to];

    private static bool[,] Build()
    {
        var allowed = new bool[StateCount, StateCount];
        void Allow(InstanceState from, InstanceState to) => allowed[(int)from, (int)to] = true;

        // First invocation/next: the cold invocation that waited for it runs, or a provisioned instance waits idle.
        Allow(InstanceState.Starting, InstanceState.Busy);
        Allow(InstanceState.Starting, InstanceState.Idle);
        // init/error, init timeout, a provisioned start of a retired pool, shutdown.
        Allow(InstanceState.Starting, InstanceState.Draining);
        Allow(InstanceState.Idle, InstanceState.Busy);
        // Idle timeout, eviction, retired pool, shutdown.
        Allow(InstanceState.Idle, InstanceState.Draining);
        Allow(InstanceState.Busy, InstanceState.Idle);
        // Deadline, memory over the limit, retired pool once the invocation is done, shutdown.
        Allow(InstanceState.Busy, InstanceState.Draining);
        // The process exit is observed: from any live state (a worker may die on its own at any moment).
        Allow(InstanceState.Starting, InstanceState.Dead);
        Allow(InstanceState.Idle, InstanceState.Dead);
        Allow(InstanceState.Busy, InstanceState.Dead);
        Allow(InstanceState.Draining, InstanceState.Dead);
        return allowed;
    }
}
