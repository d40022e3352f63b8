using System.Globalization;

namespace Nimbus.Cli.Output;

/// <summary>How times and numbers look in human output: UTC, ISO-8601, invariant culture.</summary>
internal static class Formats
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Seconds precision, for tables where milliseconds are noise.</summary>
    public static string ShortTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string ShortSha(string? sha256) => sha256 is null ? "-" : sha256.Length > 8 ? sha256[..8] : sha256;

    /// <summary><c>250 ms</c>, <c>30 s</c>, <c>1.5 min</c>: a timeout as people read it.</summary>
    public static string Duration(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? $"{Number(duration.TotalMilliseconds)} ms"
        : duration < TimeSpan.FromMinutes(2) ? $"{Number(duration.TotalSeconds)} s"
        : $"{Number(duration.TotalMinutes)} min";

    public static string ShortId(string? id) => id is null ? "-" : id.Length > 8 ? id[..8] : id;
}
