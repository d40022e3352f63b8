using System.Collections.Concurrent;

namespace Nimbus.Server.Events;

/// <summary>
/// What the async processor did, per function: retries scheduled and events dead-lettered. Counted in memory (two
/// interlocked adds per event at most); <see cref="Telemetry.Metrics.AsyncQueueSampler"/> turns the changes into stored
/// samples and Prometheus reads the totals.
/// </summary>
public sealed class AsyncEventCounters
{
    private readonly ConcurrentDictionary<string, long[]> _counts = new(StringComparer.Ordinal);

    private const int Retries = 0;
    private const int DeadLettered = 1;

    public void Retried(string functionName) => Interlocked.Increment(ref Slot(functionName)[Retries]);

    public void DeadLetteredOne(string functionName) => Interlocked.Increment(ref Slot(functionName)[DeadLettered]);

    /// <summary>Totals since the server started: (function, retries, dead-lettered).</summary>
    public IReadOnlyList<(string Function, long Retries, long DeadLettered)> Totals() =>
        _counts.Select(c => (c.Key, Interlocked.Read(ref c.Value[Retries]), Interlocked.Read(ref c.Value[DeadLettered]))).ToArray();

    private long[] Slot(string functionName) => _counts.GetOrAdd(functionName, static _ => new long[2]);
}
