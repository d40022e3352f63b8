namespace Nimbus.Core.Instances;

/// <summary>Chooses which idle instances to stop: those idle for longer than the idle timeout, except the ones a pool
/// must keep warm for provisioned concurrency (the most recently used are kept). Pure.</summary>
public static class ScaleDownPolicy
{
    /// <param name="instancesPerPool">All live instances (idle or busy) per pool key.</param>
    /// <param name="provisionedPerPool">Warm instances each pool must keep.</param>
    public static IReadOnlyList<string> SelectToStop(
        IReadOnlyList<IdleInstance> idle,
        IReadOnlyDictionary<string, int> instancesPerPool,
        IReadOnlyDictionary<string, int> provisionedPerPool,
        DateTimeOffset now,
        TimeSpan idleTimeout)
    {
        var stop = new List<string>();
        foreach (var pool in idle.GroupBy(i => i.PoolKey, StringComparer.Ordinal))
        {
            var alive = instancesPerPool.GetValueOrDefault(pool.Key);
            var keep = provisionedPerPool.GetValueOrDefault(pool.Key);
            foreach (var instance in pool.OrderBy(i => i.IdleSince))
            {
                if (alive <= keep)
                {
                    break;
                }

                if (now - instance.IdleSince >= idleTimeout)
                {
                    stop.Add(instance.Id);
                    alive--;
                }
            }
        }

        return stop;
    }
}
