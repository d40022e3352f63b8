using Nimbus.Core.Errors;
using Nimbus.Core.Invocations;

namespace Nimbus.Server.Telemetry.Errors;

/// <summary>Fingerprints failed invocations as the writer drains them; the flusher stores what gathered.</summary>
public sealed class ErrorTracker
{
    private readonly Lock _lock = new();
    private readonly ErrorGroupAggregator _aggregator = new();

    public void Observe(IEnumerable<InvocationRecord> records)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                _aggregator.Add(record);
            }
        }
    }

    public IReadOnlyList<ErrorOccurrence> Drain()
    {
        lock (_lock)
        {
            return _aggregator.Drain();
        }
    }
}
