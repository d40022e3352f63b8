namespace Nimbus.Core.Metrics;

/// <summary>The bucket sizes the store keeps and how long each is kept.</summary>
public static class MetricPeriods
{
    public const int TenSeconds = 10;
    public const int OneMinute = 60;
    public const int OneHour = 3600;

    /// <summary>Stored periods, finest first.</summary>
    public static readonly IReadOnlyList<int> Stored = [TenSeconds, OneMinute, OneHour];

    public static TimeSpan Retention(int periodSeconds) => periodSeconds switch
    {
        TenSeconds => TimeSpan.FromDays(1),
        OneMinute => TimeSpan.FromDays(15),
        OneHour => TimeSpan.FromDays(365),
        _ => throw new ArgumentOutOfRangeException(nameof(periodSeconds), periodSeconds, "not a stored period"),
    };

    /// <summary>The start (unix ms) of the bucket of <paramref name="periodSeconds"/> that holds <paramref name="time"/>.</summary>
    public static long BucketStart(DateTimeOffset time, int periodSeconds)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var size = periodSeconds * 1000L;
        return ms - (((ms % size) + size) % size);
    }

    /// <summary>The coarsest stored period that divides <paramref name="periodSeconds"/> (what a query reads and merges).</summary>
    public static int SourceFor(int periodSeconds) => Stored.Last(p => periodSeconds % p == 0);

    /// <summary>A period the API accepts: a positive multiple of 10 seconds.</summary>
    public static bool IsValid(int periodSeconds) => periodSeconds > 0 && periodSeconds % TenSeconds == 0;
}
