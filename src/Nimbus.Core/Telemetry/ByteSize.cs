using System.Globalization;

namespace Nimbus.Core.Telemetry;

/// <summary>Sizes as people write them: <c>500MB</c>, <c>1GB</c>, <c>1.5G</c>, <c>4096</c> (bytes). Units are binary (1 KB = 1024 bytes).</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] s_units =
    [
        ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10),
        ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        long factor = 1;
        foreach (var (suffix, unitFactor) in s_units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }

        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var value = Math.Floor(amount * factor);
        if (value is < 1 or >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    /// <summary>The largest whole binary unit, e.g. <c>1 GB</c>, <c>512 MB</c>, <c>1536 KB</c>.</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, factor) in s_units.AsSpan(0, 4))
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / factor} {suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
    }
}
