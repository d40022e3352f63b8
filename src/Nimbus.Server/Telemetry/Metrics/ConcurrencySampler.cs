using Nimbus.Core.Instances;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// Reads the dispatcher's busy instances per function version (a lock-free snapshot of the pools). Versions without
/// any instance are left out, so idle functions add no rows.
/// </summary>
public sealed class ConcurrencySampler(Dispatcher dispatcher)
{
    public IReadOnlyList<ConcurrencySample> Sample()
    {
        var busy = new Dictionary<(string, string), int>();
        foreach (var pool in dispatcher.Pools)
        {
            var instances = pool.Snapshot();
            if (instances.Length == 0)
            {
                continue;
            }

            var key = (pool.Target.FunctionName, pool.Target.Version);
            var count = instances.Count(i => i.State == InstanceState.Busy);
            busy[key] = busy.GetValueOrDefault(key) + count;
        }

        return [.. busy.Select(b => new ConcurrencySample(b.Key.Item1, b.Key.Item2, b.Value))];
    }
}
