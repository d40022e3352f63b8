using System.Globalization;
using Nimbus.Core.Alarms;
using Nimbus.Core.Slos;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>alarms:</c> and <c>slos:</c> lists, its <c>defaultAlarms:</c> map and its <c>defaultSlo:</c>. Shapes and types here
/// (unknown keys with a did-you-mean); meanings in <see cref="AlarmConfigs"/> and <see cref="SloConfigs"/>, whose field
/// names are registered in the line map so their errors land on these lines.
/// </summary>
internal static class ManifestMonitoringReader
{
    public static readonly IReadOnlyList<string> AlarmKeys =
    [
        "name", "metric", "statistic", "period", "evaluationPeriods", "datapointsToAlarm", "comparison", "threshold",
        "treatMissingData", "version", "alias", "notify", "notifyOn", "runbook", "description",
    ];

    public static readonly IReadOnlyList<string> SloKeys = ["name", "objective", "window", "latency", "alias", "notify"];

    public static IReadOnlyList<AlarmConfig>? ReadAlarms(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines) =>
        ReadList(value, field, "alarms", AlarmKeys, error, lines, (values, at) =>
        {
            return new AlarmConfig
            {
                Name = Text(values, "name", at, error),
                Metric = Text(values, "metric", at, error),
                Statistic = Text(values, "statistic", at, error),
                Period = Text(values, "period", at, error),
                EvaluationPeriods = Whole(values, "evaluationPeriods", at, error),
                DatapointsToAlarm = Whole(values, "datapointsToAlarm", at, error),
                Comparison = Text(values, "comparison", at, error),
                Threshold = Number(values, "threshold", at, error),
                TreatMissingData = Text(values, "treatMissingData", at, error),
                Version = Text(values, "version", at, error),
                Alias = Text(values, "alias", at, error),
                Notify = Texts(values, "notify", at, error),
                NotifyOn = Texts(values, "notifyOn", at, error),
                Runbook = Text(values, "runbook", at, error),
                Description = Text(values, "description", at, error),
            };
        });

    public static IReadOnlyList<SloConfig>? ReadSlos(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines) =>
        ReadList(value, field, "slos", SloKeys, error, lines, (values, at) => new SloConfig
        {
            Name = Text(values, "name", at, error),
            Objective = Number(values, "objective", at, error),
            Window = Text(values, "window", at, error),
            Latency = Text(values, "latency", at, error),
            Alias = Text(values, "alias", at, error),
            Notify = Texts(values, "notify", at, error),
        });

    public static readonly IReadOnlyList<string> DefaultSloKeys = ["enabled", "objective", "window", "notify"];

    /// <summary><c>defaultSlo:</c> — <c>false</c> (off), <c>true</c> (as it is) or a mapping of <see cref="DefaultSloKeys"/>.</summary>
    public static DefaultSloConfig? ReadDefaultSlo(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        lines[DefaultSlo.Field] = YamlNodes.Line(value);
        switch (YamlNodes.ScalarText(value))
        {
            case "false":
                return new DefaultSloConfig { Enabled = false };
            case "true":
                return new DefaultSloConfig();
        }

        if (value is not YamlMappingNode mapping)
        {
            error(field, $"must be false, true or a mapping of {string.Join(", ", DefaultSloKeys)}, not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = YamlNodes.ScalarText(keyNode) ?? "";
            if (!DefaultSloKeys.Contains(key))
            {
                error($"{field}.{key}", KeySuggestion.UnknownKeyMessage(key, DefaultSloKeys), YamlNodes.Line(keyNode));
                continue;
            }

            values[key] = valueNode;
            lines[$"{DefaultSlo.Field}.{key}"] = YamlNodes.Line(valueNode);
        }

        bool? enabled = null;
        if (Text(values, "enabled", field, error) is { } flag)
        {
            if (flag is "true" or "false")
            {
                enabled = flag == "true";
            }
            else
            {
                error($"{field}.enabled", $"must be true or false, was '{flag}'", YamlNodes.Line(values["enabled"]));
            }
        }

        return new DefaultSloConfig
        {
            Enabled = enabled,
            Objective = Number(values, "objective", field, error),
            Window = Text(values, "window", field, error),
            Notify = Texts(values, "notify", field, error),
        };
    }

    public static IReadOnlyDictionary<string, DefaultAlarmConfig>? ReadDefaults(YamlNode? value, string field, List<ManifestError> errors, IDictionary<string, int> lines)
    {
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        var overrides = DefaultAlarmOverridesReader.Read(value, field, errors);
        if (value is YamlMappingNode mapping)
        {
            foreach (var (key, node) in mapping.Children)
            {
                var name = YamlNodes.ScalarText(key) ?? "";
                lines[$"defaultAlarms.{name}"] = YamlNodes.Line(key);
                if (node is YamlMappingNode settings)
                {
                    foreach (var (settingKey, settingValue) in settings.Children)
                    {
                        lines[$"defaultAlarms.{name}.{YamlNodes.ScalarText(settingKey)}"] = YamlNodes.Line(settingValue);
                    }
                }
            }
        }

        return overrides.ToDictionary(p => p.Key, p => AlarmConfigs.ToConfig(p.Value), StringComparer.Ordinal);
    }

    private static List<T>? ReadList<T>(
        YamlNode? value, string field, string validatorName, IReadOnlyList<string> keys, Action<string, string, int> error,
        IDictionary<string, int> lines, Func<Dictionary<string, YamlNode>, string, T> read)
    {
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of mappings ('- name: ...'), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        lines[validatorName] = YamlNodes.Line(value);
        var items = new List<T>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var at = $"{field}[{i}]";
            var validatorField = $"{validatorName}[{i}]";
            lines[validatorField] = YamlNodes.Line(item);
            foreach (var key in keys)
            {
                lines[$"{validatorField}.{key}"] = YamlNodes.Line(item);
            }

            if (item is not YamlMappingNode mapping)
            {
                error(at, $"must be a mapping of {string.Join(", ", keys.Take(3))}, …, not {(YamlNodes.IsNull(item) ? "empty" : YamlNodes.Kind(item))}", YamlNodes.Line(item));
                continue;
            }

            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = YamlNodes.ScalarText(keyNode) ?? "";
                if (!keys.Contains(key))
                {
                    error($"{at}.{key}", KeySuggestion.UnknownKeyMessage(key, keys), YamlNodes.Line(keyNode));
                    continue;
                }

                values[key] = valueNode;
                lines[$"{validatorField}.{key}"] = YamlNodes.Line(valueNode);
                if (valueNode is YamlSequenceNode list)
                {
                    for (var j = 0; j < list.Children.Count; j++)
                    {
                        lines[$"{validatorField}.{key}[{j}]"] = YamlNodes.Line(list.Children[j]);
                    }
                }
            }

            items.Add(read(values, at));
        }

        return items;
    }

    private static string? Text(Dictionary<string, YamlNode> values, string key, string at, Action<string, string, int> error)
    {
        if (!values.TryGetValue(key, out var node) || YamlNodes.IsNull(node))
        {
            return null;
        }

        if (YamlNodes.ScalarText(node) is { } text)
        {
            return text.Trim();
        }

        error($"{at}.{key}", $"must be text, not {YamlNodes.Kind(node)}", YamlNodes.Line(node));
        return null;
    }

    private static IReadOnlyList<string>? Texts(Dictionary<string, YamlNode> values, string key, string at, Action<string, string, int> error)
    {
        if (!values.TryGetValue(key, out var node) || YamlNodes.IsNull(node))
        {
            return null;
        }

        if (ManifestLists.Strings(node) is { } items)
        {
            return items;
        }

        error($"{at}.{key}", "must be a list of texts ([webhook:https://…, function:pager])", YamlNodes.Line(node));
        return null;
    }

    private static int? Whole(Dictionary<string, YamlNode> values, string key, string at, Action<string, string, int> error)
    {
        var text = Text(values, key, at, error);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        error($"{at}.{key}", $"must be a whole number, was '{text}'", YamlNodes.Line(values[key]));
        return null;
    }

    private static double? Number(Dictionary<string, YamlNode> values, string key, string at, Action<string, string, int> error)
    {
        var text = Text(values, key, at, error);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return number;
        }

        error($"{at}.{key}", $"must be a number, was '{text}'", YamlNodes.Line(values[key]));
        return null;
    }
}
