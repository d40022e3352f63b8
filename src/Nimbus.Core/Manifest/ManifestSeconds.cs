using System.Globalization;
using Nimbus.Core.Logs;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>A time setting as the manifest writes it: a number of seconds (<c>30</c>) or a duration (<c>2s</c>, <c>5m</c>, <c>4d</c>).</summary>
internal static class ManifestSeconds
{
    public static double? Read(YamlNode node, string field, Action<string, string, int> error)
    {
        var text = YamlNodes.ScalarText(node)?.Trim();
        if (text is not null && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return seconds;
        }

        if (text is not null && TimeExpression.TryParseDuration(text, out var duration, out _))
        {
            return duration.TotalSeconds;
        }

        error(field, $"must be seconds (30) or a duration (30s, 5m, 2h, 4d), was {(text is null ? YamlNodes.Kind(node) : $"'{text}'")}", YamlNodes.Line(node));
        return null;
    }

    public static int? ReadWhole(YamlNode node, string field, Action<string, string, int> error)
    {
        if (Read(node, field, error) is not { } seconds)
        {
            return null;
        }

        if (seconds != Math.Floor(seconds) || seconds > int.MaxValue)
        {
            error(field, $"must be a whole number of seconds, was {seconds.ToString(CultureInfo.InvariantCulture)}s", YamlNodes.Line(node));
            return null;
        }

        return (int)seconds;
    }
}
