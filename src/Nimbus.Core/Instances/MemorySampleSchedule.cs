namespace Nimbus.Core.Instances;

/// <summary>
/// Which instances the memory monitor reads on a tick. Reading a process tree's resident memory walks /proc (the
/// worker's threads, their children, each one's statm): tens of microseconds an instance. Read for every instance on
/// every 100 ms tick, the instances left warm after a burst of traffic made one multi-millisecond run of /proc reads
/// ten times a second, and the invocations that arrived during it waited behind it (docs/design/warm-path.md, "Memory
/// sampling"). An instance running an invocation is read on every tick, as before; an idle one, whose memory only its
/// own background work can grow, on one tick in <see cref="IdleEvery"/>, the ticks spread by process id so the idle
/// instances do not all come due together.
/// </summary>
public static class MemorySampleSchedule
{
    /// <summary>An idle instance is read once in this many ticks (with 100 ms ticks: once a second).</summary>
    public const int IdleEvery = 10;

    /// <summary>Whether the instance with <paramref name="processId"/> in <paramref name="state"/> is read on tick number <paramref name="tick"/>.</summary>
    public static bool IsDue(InstanceState state, int processId, long tick) => state switch
    {
        InstanceState.Starting or InstanceState.Busy => processId > 0,
        InstanceState.Idle => processId > 0 && (tick + processId) % IdleEvery == 0,
        _ => false,
    };
}
