namespace Nimbus.Core.Invocations;

/// <summary>
/// After consecutive init failures of the same code, the next start waits: 1 s, 2 s, 4 s … up to a cap. While the
/// wait lasts, invocations fail fast with the last init error instead of spawning processes in a tight loop.
/// </summary>
public static class InitBackoffPolicy
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="consecutiveFailures"/> failures (0 failures: no wait).</summary>
    public static TimeSpan Delay(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(consecutiveFailures - 1, 16);
        var delay = TimeSpan.FromTicks(Initial.Ticks << exponent);
        return delay > Maximum ? Maximum : delay;
    }

    /// <summary>Whether a new instance may start at <paramref name="now"/>.</summary>
    public static bool MayStart(int consecutiveFailures, DateTimeOffset lastFailureAt, DateTimeOffset now) =>
        consecutiveFailures == 0 || now >= lastFailureAt + Delay(consecutiveFailures);
}
