namespace Nimbus.Core.Metrics;

/// <summary>Lambda's billing arithmetic: duration rounded up to the millisecond, GB-seconds, and a monthly estimate.</summary>
public static class InvocationCost
{
    /// <summary>Lambda's price per GB-second on x86 (us-east-1), the default of <c>--price-per-gb-second</c>.</summary>
    public const double DefaultPricePerGbSecond = 0.0000166667;

    public static double BilledDurationMs(double durationMs) => Math.Max(1, Math.Ceiling(durationMs));

    public static double GbSeconds(double billedDurationMs, int memoryMb) => billedDurationMs / 1000.0 * memoryMb / 1024.0;

    /// <summary>What a month (30 days) costs at the rate seen over <paramref name="window"/>.</summary>
    public static double MonthlyCost(double gbSecondsInWindow, TimeSpan window, double pricePerGbSecond) =>
        window <= TimeSpan.Zero ? 0 : gbSecondsInWindow / window.TotalSeconds * TimeSpan.FromDays(30).TotalSeconds * pricePerGbSecond;
}
