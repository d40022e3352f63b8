using System.Collections.Concurrent;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Counts concurrent executions. A function with reserved concurrency may run up to its reservation, which is set aside
/// for it; functions without one share what is left of the platform limit (as Lambda's unreserved pool).
/// </summary>
public sealed class ConcurrencyLimiter
{
    private readonly ConcurrentDictionary<string, Counter> _perFunction = new(StringComparer.Ordinal);
    private readonly int _platformLimit;
    private int _unreservedInFlight;
    private int _totalReserved;

    public ConcurrencyLimiter(int platformLimit) => _platformLimit = platformLimit;

    public int PlatformLimit => _platformLimit;

    /// <summary>The part of the platform limit that functions without a reservation share.</summary>
    public int UnreservedLimit => Math.Max(0, _platformLimit - Volatile.Read(ref _totalReserved));

    public int InFlight(string functionName) => _perFunction.TryGetValue(functionName, out var c) ? Volatile.Read(ref c.Value) : 0;

    public int TotalInFlight
    {
        get
        {
            var total = 0;
            foreach (var (_, counter) in _perFunction)
            {
                total += Volatile.Read(ref counter.Value);
            }

            return total;
        }
    }

    /// <summary>Called when configurations change: the sum of all reservations.</summary>
    public void SetTotalReserved(int totalReserved) => Volatile.Write(ref _totalReserved, totalReserved);

    public (ThrottleReason Reason, int Limit) TryAcquire(string functionName, int? reservedConcurrency)
    {
        if (reservedConcurrency == 0)
        {
            return (ThrottleReason.FunctionDisabled, 0);
        }

        var counter = _perFunction.GetOrAdd(functionName, static _ => new Counter());
        if (reservedConcurrency is { } reserved)
        {
            if (Interlocked.Increment(ref counter.Value) > reserved)
            {
                Interlocked.Decrement(ref counter.Value);
                return (ThrottleReason.ReservedConcurrency, reserved);
            }

            return (ThrottleReason.None, reserved);
        }

        var limit = UnreservedLimit;
        if (Interlocked.Increment(ref _unreservedInFlight) > limit)
        {
            Interlocked.Decrement(ref _unreservedInFlight);
            return (ThrottleReason.PlatformConcurrency, limit);
        }

        Interlocked.Increment(ref counter.Value);
        return (ThrottleReason.None, limit);
    }

    public void Release(string functionName, int? reservedConcurrency)
    {
        if (_perFunction.TryGetValue(functionName, out var counter))
        {
            Interlocked.Decrement(ref counter.Value);
        }

        if (reservedConcurrency is null)
        {
            Interlocked.Decrement(ref _unreservedInFlight);
        }
    }

    private sealed class Counter
    {
        public int Value;
    }
}
