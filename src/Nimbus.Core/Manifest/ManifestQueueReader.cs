using System.Globalization;
using Nimbus.Core.Queues;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads the top-level <c>queues:</c> mapping (name to settings) into <see cref="QueueConfig"/>s, then applies
/// <see cref="QueueConfigValidator"/> so the manifest and the API agree on limits.
/// </summary>
public static class ManifestQueueReader
{
    public static readonly IReadOnlyList<string> Keys = ["visibilityTimeout", "retention", "delay", "maxReceiveCount", "maximumDepth"];

    private static readonly Dictionary<string, string> s_validatorFields = new(StringComparer.Ordinal)
    {
        ["visibilityTimeoutSeconds"] = "visibilityTimeout",
        ["retentionSeconds"] = "retention",
        ["delaySeconds"] = "delay",
        ["maxReceiveCount"] = "maxReceiveCount",
        ["maximumDepth"] = "maximumDepth",
    };

    /// <param name="error">Reports (field, message, line).</param>
    public static IReadOnlyList<QueueConfig> Read(YamlNode? value, Action<string, string, int> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var queues = new List<QueueConfig>();
        if (value is null || YamlNodes.IsNull(value))
        {
            return queues;
        }

        if (value is not YamlMappingNode mapping)
        {
            error("queues", $"must be a mapping of queue names to settings, not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return queues;
        }

        foreach (var (nameNode, settings) in mapping.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name })
            {
                error("queues", "has a queue name that is not plain text", YamlNodes.Line(nameNode));
                continue;
            }

            if (ReadQueue(name, YamlNodes.Line(nameNode), settings, error) is { } queue)
            {
                queues.Add(queue);
            }
        }

        return queues;
    }

    private static QueueConfig? ReadQueue(string name, int line, YamlNode settings, Action<string, string, int> error)
    {
        var prefix = $"queues.{name}";
        var config = new QueueConfig { Name = name };
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var ok = true;
        void Fail(string field, string message, int at)
        {
            ok = false;
            error(field, message, at);
        }

        if (settings is YamlMappingNode mapping)
        {
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var at = $"{prefix}.{key}";
                if (!Keys.Contains(key))
                {
                    Fail(at, KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                    continue;
                }

                lines[key] = YamlNodes.Line(valueNode);
                config = key switch
                {
                    "visibilityTimeout" => config with { VisibilityTimeoutSeconds = ManifestSeconds.ReadWhole(valueNode, at, Fail) },
                    "retention" => config with { RetentionSeconds = ManifestSeconds.ReadWhole(valueNode, at, Fail) ?? config.RetentionSeconds },
                    "delay" => config with { DelaySeconds = ManifestSeconds.ReadWhole(valueNode, at, Fail) ?? 0 },
                    "maxReceiveCount" => config with { MaxReceiveCount = Whole(valueNode, at, Fail) },
                    _ => config with { MaximumDepth = Whole(valueNode, at, Fail) ?? config.MaximumDepth },
                };
            }
        }
        else if (!YamlNodes.IsNull(settings))
        {
            Fail(prefix, $"must be a mapping of settings ({string.Join(", ", Keys)}), not {YamlNodes.Kind(settings)}", YamlNodes.Line(settings));
        }

        foreach (var problem in QueueConfigValidator.Validate(config))
        {
            if (problem.Field == "name")
            {
                Fail(prefix, $"the queue name {problem.Message}", line);
            }
            else
            {
                var key = s_validatorFields.GetValueOrDefault(problem.Field, problem.Field);
                Fail($"{prefix}.{key}", problem.Message, lines.GetValueOrDefault(key, line));
            }
        }

        return ok ? config : null;
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
