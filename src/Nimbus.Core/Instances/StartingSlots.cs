namespace Nimbus.Core.Instances;

/// <summary>
/// The slots that instances still starting will offer (with <c>concurrencyPerInstance</c> above 1), and how many of
/// them callers have been promised: a caller that gets a promise waits for the start instead of starting another
/// instance, so a burst on a cold function starts one instance per N calls, not one per call. Pure and not
/// thread-safe: the pool calls it under its lock.
/// </summary>
public sealed class StartingSlots
{
    /// <summary>Slots of starting instances that no cold invocation of their own will take.</summary>
    public int Spare { get; private set; }

    /// <summary>Callers waiting for one of those slots.</summary>
    public int Promised { get; private set; }

    /// <summary>An instance began starting and will offer <paramref name="spare"/> slots beyond its own cold call.</summary>
    public void InstanceStarting(int spare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spare);
        Spare += spare;
    }

    /// <summary>The instance is ready (its slots are free to take now) or failed: its slots are no longer to come.</summary>
    public void InstanceStarted(int spare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spare);
        Spare = Math.Max(0, Spare - spare);
    }

    /// <summary>Promises a caller a slot of a starting instance; false when every such slot is promised already.</summary>
    public bool TryPromise()
    {
        if (Promised >= Spare)
        {
            return false;
        }

        Promised++;
        return true;
    }

    /// <summary>The promised caller stopped waiting (it got a slot, or the start ended without one for it).</summary>
    public void ReleasePromise() => Promised = Math.Max(0, Promised - 1);
}
