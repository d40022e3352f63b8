namespace Nimbus.Core.Deployments.Shadow;

/// <summary>
/// Picks which live calls get a shadow copy: exactly <c>percent</c> of every hundred in a row, spread evenly (50% copies
/// every second call, 100% all of them, 0% none). Counter based, so deterministic and lock free.
/// </summary>
public sealed class ShadowSampler
{
    private const long Cycle = 100_000;

    private long _count;

    public ShadowSampler(double percent)
    {
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The shadow percentage must be between 0 and 100.");
        }

        Percent = percent;
    }

    public double Percent { get; }

    /// <summary>Whether the next live call is copied.</summary>
    public bool Next() => Picks(Interlocked.Increment(ref _count) - 1, Percent);

    /// <summary>Whether call number <paramref name="index"/> (from 0) is copied: the share's running total crosses a whole number there.</summary>
    public static bool Picks(long index, double percent)
    {
        if (percent >= 100)
        {
            return true;
        }

        if (percent <= 0)
        {
            return false;
        }

        // The modulo keeps the products exact in a double; the pattern repeats every Cycle calls.
        var position = index % Cycle;
        return Math.Floor((position + 1) * percent / 100 + 1e-9) > Math.Floor(position * percent / 100 + 1e-9);
    }
}
