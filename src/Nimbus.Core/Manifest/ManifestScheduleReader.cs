using System.Globalization;
using System.Text.Json.Nodes;
using Nimbus.Core.Schedules;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>schedules:</c> list: each item an expression string or a mapping {expression, timezone,
/// input, missed, enabled}. Shapes and types here, meanings in <see cref="ScheduleConfigValidator"/> (whose field
/// names are registered in the line map, so its errors land on these lines).
/// </summary>
public static class ManifestScheduleReader
{
    public static readonly IReadOnlyList<string> Keys = ["expression", "timezone", "input", "missed", "enabled"];

    /// <param name="field">The manifest path of the list, e.g. <c>functions.report.schedules</c>.</param>
    /// <param name="error">Reports (field, message, line).</param>
    /// <param name="lines">Receives the line of each item and setting under its validator field name (<c>schedules[0].expression</c>).</param>
    public static IReadOnlyList<ScheduleConfig>? Read(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of schedules (rate(5 minutes), cron(0 12 * * ? *) or {{expression: ..., timezone: ...}}), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        lines["schedules"] = YamlNodes.Line(value);
        var schedules = new List<ScheduleConfig>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var at = $"{field}[{i}]";
            var validatorField = $"schedules[{i}]";
            lines[validatorField] = YamlNodes.Line(item);
            foreach (var key in Keys)
            {
                lines[$"{validatorField}.{key}"] = YamlNodes.Line(item);
            }

            if (YamlNodes.ScalarText(item) is { } text)
            {
                schedules.Add(new ScheduleConfig { Expression = text.Trim() });
            }
            else if (item is YamlMappingNode mapping)
            {
                if (ReadMapping(mapping, at, validatorField, error, lines) is { } schedule)
                {
                    schedules.Add(schedule);
                }
            }
            else
            {
                error(at, $"must be an expression or a mapping with an expression, not {YamlNodes.Kind(item)}", YamlNodes.Line(item));
            }
        }

        return schedules;
    }

    private static ScheduleConfig? ReadMapping(YamlMappingNode mapping, string at, string validatorField, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        string? expression = null;
        string? timezone = null;
        string? input = null;
        string? missed = null;
        var enabled = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key))
            {
                error($"{at}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                continue;
            }

            lines[$"{validatorField}.{key}"] = YamlNodes.Line(valueNode);
            var text = YamlNodes.ScalarText(valueNode);
            switch (key)
            {
                case "input":
                    input = ToJson(valueNode)?.ToJsonString() ?? "null";
                    break;
                case "enabled" when text is "true" or "false":
                    enabled = text == "true";
                    break;
                case "enabled":
                    error($"{at}.enabled", $"must be true or false, was {Shown(valueNode)}", YamlNodes.Line(valueNode));
                    break;
                case "expression" or "timezone" or "missed" when text is null:
                    error($"{at}.{key}", $"must be text, not {YamlNodes.Kind(valueNode)}", YamlNodes.Line(valueNode));
                    break;
                case "expression":
                    expression = text!.Trim();
                    break;
                case "timezone":
                    timezone = text!.Trim();
                    break;
                default:
                    missed = text!.Trim();
                    break;
            }
        }

        if (expression is null)
        {
            error($"{at}.expression", "is required: rate(5 minutes), cron(0 12 * * ? *) or a five-field cron line", YamlNodes.Line(mapping));
            return null;
        }

        return new ScheduleConfig { Expression = expression, Timezone = timezone, Input = input, Missed = missed, Enabled = enabled };
    }

    /// <summary>YAML to JSON: mappings become objects, sequences arrays, plain scalars numbers, booleans or null where they read as such.</summary>
    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[(key as YamlScalarNode)?.Value ?? ""] = ToJson(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select(ToJson).ToArray());
            case YamlScalarNode scalar when YamlNodes.IsNull(scalar):
                return null;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: var plain }:
                if (plain is "true" or "false")
                {
                    return JsonValue.Create(plain == "true");
                }

                if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return JsonValue.Create(whole);
                }

                return double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(plain);
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? "");
            default:
                return null;
        }
    }

    private static string Shown(YamlNode node) => node is YamlScalarNode { Value: { } text } ? $"'{text}'" : YamlNodes.Kind(node);
}
