namespace Nimbus.Core.Security;

/// <summary>
/// Counts failed authentications per source address in a fixed window; once an address has failed
/// <see cref="MaxFailures"/> times in a window, it is refused (429) until the window ends. The caller passes the time,
/// so tests control it. Thread-safe.
/// </summary>
public sealed class FailedAuthenticationLimiter(int maxFailures, TimeSpan window)
{
    /// <summary>Addresses tracked at most; beyond it expired windows are dropped (and if none, the oldest).</summary>
    public const int MaxTracked = 10_000;

    private readonly Dictionary<string, (DateTimeOffset Start, int Failures)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int MaxFailures { get; } = maxFailures;
    public TimeSpan Window { get; } = window;

    /// <returns>When the address may try again, or null when it may try now.</returns>
    public DateTimeOffset? BlockedUntil(string address, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_windows.TryGetValue(address, out var entry) || now >= entry.Start + Window)
            {
                return null;
            }

            return entry.Failures >= MaxFailures ? entry.Start + Window : null;
        }
    }

    public void RecordFailure(string address, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_windows.TryGetValue(address, out var entry) && now < entry.Start + Window)
            {
                _windows[address] = (entry.Start, entry.Failures + 1);
                return;
            }

            if (_windows.Count >= MaxTracked)
            {
                Prune(now);
            }

            _windows[address] = (now, 1);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _windows.ToArray())
        {
            if (now >= entry.Start + Window)
            {
                _windows.Remove(address);
            }
        }

        if (_windows.Count >= MaxTracked)
        {
            _windows.Remove(_windows.MinBy(pair => pair.Value.Start).Key);
        }
    }
}
