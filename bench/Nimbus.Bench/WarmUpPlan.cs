namespace Nimbus.Bench;

/// <summary>When a warm-up is long enough: the last two chunks' rates within <see cref="Tolerance"/> of each other.</summary>
public static class WarmUpPlan
{
    /// <summary>How far apart two chunks' rates may be to call the system steady.</summary>
    public const double Tolerance = 0.05;

    /// <param name="rates">Requests per second of each warm-up chunk so far, in order.</param>
    /// <param name="maxChunks">Steady or not, no more chunks than this.</param>
    public static bool IsSteady(IReadOnlyList<double> rates, int maxChunks)
    {
        if (rates.Count >= maxChunks)
        {
            return true;
        }
        if (rates.Count < 3)
        {
            return false; // the first chunk includes start-up; two more show the trend
        }
        var previous = rates[^2];
        var last = rates[^1];
        return previous > 0 && Math.Abs(last - previous) / previous <= Tolerance;
    }
}
