using System.Globalization;
using Nimbus.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>async:</c> mapping into an <see cref="AsyncConfig"/>: shapes and types here, ranges in
/// <see cref="AsyncConfigValidator"/> (whose field names are these keys, so its errors land on these lines).
/// </summary>
public static class ManifestAsyncReader
{
    public static readonly IReadOnlyList<string> Keys =
        ["maximumRetryAttempts", "maximumEventAgeInSeconds", "retryDelays", "onSuccess", "onFailure", "maximumQueueDepth"];

    /// <param name="field">The manifest path of the mapping, e.g. <c>functions.orders.async</c>.</param>
    /// <param name="error">Reports (field, message, line).</param>
    /// <param name="lines">Receives the line of each setting under its validator field name (<c>async.retryDelays</c>).</param>
    public static AsyncConfig? Read(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            error(field, $"must be a mapping of async settings ({string.Join(", ", Keys)}), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var config = new AsyncConfig();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key))
            {
                error($"{field}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                continue;
            }

            lines[$"async.{key}"] = YamlNodes.Line(valueNode);
            var at = $"{field}.{key}";
            config = key switch
            {
                "maximumRetryAttempts" => config with { MaximumRetryAttempts = Int(valueNode, at, "a whole number of retries (0-2)", error) },
                "maximumEventAgeInSeconds" => config with { MaximumEventAgeInSeconds = Int(valueNode, at, "a whole number of seconds (60-21600)", error) },
                "maximumQueueDepth" => config with { MaximumQueueDepth = Int(valueNode, at, "a whole number of events", error) },
                "retryDelays" => config with { RetryDelaysSeconds = Delays(valueNode, at, error) },
                "onSuccess" => config with { OnSuccess = Text(valueNode, at, error) },
                _ => config with { OnFailure = Text(valueNode, at, error) },
            };
        }

        return config;
    }

    /// <summary>A delay: seconds as a number, or a number with ms, s, m or h (<c>1s</c>, <c>500ms</c>, <c>2m</c>).</summary>
    public static bool TryParseDelay(string text, out double seconds)
    {
        var (number, unit) = text.Trim() switch
        {
            var t when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            var t when t.EndsWith('s') => (t[..^1], 1.0),
            var t when t.EndsWith('m') => (t[..^1], 60.0),
            var t when t.EndsWith('h') => (t[..^1], 3600.0),
            var t => (t, 1.0),
        };
        var ok = double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);
        seconds = ok ? value * unit : 0;
        return ok;
    }

    private static int? Int(YamlNode node, string field, string expected, Action<string, string, int> error)
    {
        if (YamlNodes.ScalarText(node) is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        error(field, $"must be {expected}, was {Shown(node)}", YamlNodes.Line(node));
        return null;
    }

    private static string? Text(YamlNode node, string field, Action<string, string, int> error)
    {
        if (YamlNodes.ScalarText(node) is { Length: > 0 } text)
        {
            return text.Trim();
        }

        error(field, "must be dlq, function:NAME, queue:NAME or webhook:URL", YamlNodes.Line(node));
        return null;
    }

    private static List<double>? Delays(YamlNode node, string field, Action<string, string, int> error)
    {
        if (node is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of delays, e.g. [1s, 2s], not {YamlNodes.Kind(node)}", YamlNodes.Line(node));
            return null;
        }

        var delays = new List<double>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            if (YamlNodes.ScalarText(item) is { } text && TryParseDelay(text, out var seconds))
            {
                delays.Add(seconds);
            }
            else
            {
                error($"{field}[{i}]", $"must be a delay such as 1s, 500ms or 2m, was {Shown(item)}", YamlNodes.Line(item));
            }
        }

        return delays;
    }

    private static string Shown(YamlNode node) => node is YamlScalarNode { Value: { } text } ? $"'{text}'" : YamlNodes.Kind(node);
}
