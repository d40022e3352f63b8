using System.Globalization;

namespace Nimbus.Cli.Output;

/// <summary>Sizes for people: <c>512 B</c>, <c>3.1 KB</c>, <c>12.0 MB</c> (1 KB = 1024 bytes).</summary>
internal static class ByteSize
{
    public static string Format(long bytes)
    {
        string[] units = ["KB", "MB", "GB"];
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
