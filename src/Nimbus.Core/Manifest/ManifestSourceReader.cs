using System.Globalization;
using Nimbus.Core.Queues;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>sources:</c> list (each item {queue, batchSize, maximumBatchingWindow, maximumConcurrency,
/// reportBatchItemFailures, enabled}). Shapes and types here, ranges in <see cref="EventSourceConfigValidator"/>, whose
/// field names are registered in the line map so its errors land on these lines.
/// </summary>
public static class ManifestSourceReader
{
    public static readonly IReadOnlyList<string> Keys =
        ["queue", "batchSize", "maximumBatchingWindow", "maximumConcurrency", "reportBatchItemFailures", "enabled"];

    public static IReadOnlyList<EventSourceConfig>? Read(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of sources ({{queue: NAME, batchSize: 10}}), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var sources = new List<EventSourceConfig>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var at = $"{field}[{i}]";
            var validatorField = $"sources[{i}]";
            lines[validatorField] = YamlNodes.Line(item);
            if (item is not YamlMappingNode mapping)
            {
                error(at, $"must be a mapping with a queue ({{queue: NAME}}), not {YamlNodes.Kind(item)}", YamlNodes.Line(item));
                continue;
            }

            if (ReadMapping(mapping, at, validatorField, error, lines) is { } source)
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    private static EventSourceConfig? ReadMapping(YamlMappingNode mapping, string at, string validatorField, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        string? queue = null;
        var source = new EventSourceConfig { Queue = "" };
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key))
            {
                error($"{at}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                continue;
            }

            var field = $"{at}.{key}";
            var text = YamlNodes.ScalarText(valueNode);
            lines[$"{validatorField}.{(key == "maximumBatchingWindow" ? "maximumBatchingWindowInSeconds" : key)}"] = YamlNodes.Line(valueNode);
            switch (key)
            {
                case "queue" when text is { Length: > 0 }:
                    queue = text.Trim();
                    break;
                case "queue":
                    error(field, "must be the name of a queue declared under 'queues:' or by the API", YamlNodes.Line(valueNode));
                    break;
                case "batchSize":
                    source = source with { BatchSize = Whole(valueNode, field, error) ?? source.BatchSize };
                    break;
                case "maximumConcurrency":
                    source = source with { MaximumConcurrency = Whole(valueNode, field, error) };
                    break;
                case "maximumBatchingWindow":
                    source = source with { MaximumBatchingWindowInSeconds = ManifestSeconds.Read(valueNode, field, error) ?? 0 };
                    break;
                case "reportBatchItemFailures" or "enabled" when text is "true" or "false":
                    source = key == "enabled" ? source with { Enabled = text == "true" } : source with { ReportBatchItemFailures = text == "true" };
                    break;
                default:
                    error(field, $"must be true or false, was {(text is null ? YamlNodes.Kind(valueNode) : $"'{text}'")}", YamlNodes.Line(valueNode));
                    break;
            }
        }

        if (queue is null)
        {
            error($"{at}.queue", "is required: the name of the queue the function consumes", YamlNodes.Line(mapping));
            return null;
        }

        return source with { Queue = queue };
    }

    private static int? Whole(YamlNode node, string field, Action<string, string, int> error)
    {
        if (YamlNodes.ScalarText(node) is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        error(field, $"must be a whole number, was {(YamlNodes.ScalarText(node) is { } t ? $"'{t}'" : YamlNodes.Kind(node))}", YamlNodes.Line(node));
        return null;
    }
}
