using System.Globalization;
using Nimbus.Core.Deployments;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>deployment:</c> block: <c>{strategy, alarms, hooks: {preTraffic, postTraffic, timeout},
/// budgetGate: {maxBurnRate}}</c>. The strategy is a name (<c>Canary10Percent5Minutes</c>) or a mapping
/// (<c>{type: linear, percent: 20, interval: 2m}</c>), checked by <see cref="DeploymentStrategyParser"/>; every
/// problem is reported with its field path and line, unknown keys with a suggestion.
/// </summary>
public static class ManifestDeploymentReader
{
    public static readonly IReadOnlyList<string> Keys = ["strategy", "alarms", "hooks", "budgetGate"];
    public static readonly IReadOnlyList<string> HookKeys = ["preTraffic", "postTraffic", "timeout"];
    public static readonly IReadOnlyList<string> BudgetGateKeys = ["maxBurnRate"];

    /// <param name="field">The manifest path of the block, e.g. <c>functions.orders.deployment</c>.</param>
    /// <param name="error">Reports (field, message, line).</param>
    public static ManifestDeployment? Read(YamlNode? value, string field, Action<string, string, int> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        var failed = false;
        void Fail(string at, string message, int line)
        {
            failed = true;
            error(at, message, line);
        }

        if (ReadMapping(value, field, Keys, "a mapping of strategy, alarms, hooks and budgetGate", Fail) is not { } settings)
        {
            return null;
        }

        var strategy = ReadStrategy(settings, field, YamlNodes.Line(value), Fail);
        var alarms = ReadAlarms(settings.GetValueOrDefault("alarms"), $"{field}.alarms", Fail);
        var hooks = ReadHooks(settings.GetValueOrDefault("hooks"), $"{field}.hooks", Fail);
        var gate = ReadBudgetGate(settings.GetValueOrDefault("budgetGate"), $"{field}.budgetGate", Fail);
        return failed || strategy is null ? null : new ManifestDeployment(strategy.Value.Strategy, strategy.Value.Fields, alarms, hooks, gate);
    }

    private static (DeploymentStrategy Strategy, IReadOnlyDictionary<string, string?> Fields)? ReadStrategy(
        Dictionary<string, YamlNode> settings, string field, int blockLine, Action<string, string, int> error)
    {
        if (!settings.TryGetValue("strategy", out var node) || YamlNodes.IsNull(node))
        {
            error($"{field}.strategy", "is required: a name such as Canary10Percent5Minutes, or {type: canary, percent: 10, interval: 5m}", blockLine);
            return null;
        }

        Dictionary<string, string?> fields;
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (YamlNodes.ScalarText(node) is { } name)
        {
            fields = new(StringComparer.Ordinal) { ["name"] = name };
        }
        else if (node is YamlMappingNode mapping)
        {
            fields = new(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    error($"{field}.strategy", "has a key that is not a plain name", YamlNodes.Line(keyNode));
                    return null;
                }

                if (valueNode is not YamlScalarNode)
                {
                    error($"{field}.strategy.{key}", $"must be a single value, not {YamlNodes.Kind(valueNode)}", YamlNodes.Line(valueNode));
                    return null;
                }

                fields[key] = YamlNodes.ScalarText(valueNode);
                lines[$"{DeploymentStrategyParser.Field}.{key}"] = YamlNodes.Line(keyNode);
            }
        }
        else
        {
            error($"{field}.strategy", $"must be a strategy name or a mapping of its settings, not {YamlNodes.Kind(node)}", YamlNodes.Line(node));
            return null;
        }

        var parsed = fields.Count == 1 && fields.ContainsKey("name") ? DeploymentStrategyParser.Parse(fields["name"]) : DeploymentStrategyParser.Parse(fields);
        foreach (var problem in parsed.Errors)
        {
            error($"{field}.{problem.Field}", problem.Message, lines.GetValueOrDefault(problem.Field, YamlNodes.Line(node)));
        }

        return parsed.Strategy is { } strategy ? (strategy, fields) : null;
    }

    private static IReadOnlyList<string> ReadAlarms(YamlNode? node, string field, Action<string, string, int> error)
    {
        if (node is null || YamlNodes.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of alarm names such as [default, checkout-latency], not {YamlNodes.Kind(node)}", YamlNodes.Line(node));
            return [];
        }

        var names = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            if (YamlNodes.ScalarText(item) is { } name && name.Trim().Length > 0)
            {
                names.Add(name.Trim());
            }
            else
            {
                error($"{field}[{i}]", "must be an alarm name ('default' for the function's default alarms)", YamlNodes.Line(item));
            }
        }

        return names;
    }

    private static DeploymentHooksRequest? ReadHooks(YamlNode? node, string field, Action<string, string, int> error)
    {
        if (node is null || YamlNodes.IsNull(node)
            || ReadMapping(node, field, HookKeys, "a mapping of preTraffic, postTraffic and timeout", error) is not { } hooks)
        {
            return null;
        }

        string? Text(string key)
        {
            if (hooks.GetValueOrDefault(key) is not { } value || YamlNodes.IsNull(value))
            {
                return null;
            }

            if (YamlNodes.ScalarText(value) is { } text)
            {
                return text.Trim();
            }

            error($"{field}.{key}", $"must be text, not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var request = new DeploymentHooksRequest(Text("preTraffic"), Text("postTraffic"), Text("timeout"));
        foreach (var problem in DeploymentHooks.Validate(request.PreTraffic, request.PostTraffic, request.Timeout, out _))
        {
            // The validator names fields as the API does (hooks.timeout); the manifest path is the block's.
            var key = problem.Field["hooks.".Length..];
            error($"{field}.{key}", problem.Message, YamlNodes.Line(hooks[key]));
        }

        return request;
    }

    private static BudgetGateSettings? ReadBudgetGate(YamlNode? node, string field, Action<string, string, int> error)
    {
        if (node is null || YamlNodes.IsNull(node)
            || ReadMapping(node, field, BudgetGateKeys, "a mapping such as {maxBurnRate: 6}", error) is not { } gate)
        {
            return null;
        }

        if (gate.GetValueOrDefault("maxBurnRate") is not { } value || YamlNodes.IsNull(value))
        {
            return new BudgetGateSettings(null);
        }

        if (YamlNodes.ScalarText(value) is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > 0)
        {
            return new BudgetGateSettings(rate);
        }

        error($"{field}.maxBurnRate", $"must be a number greater than 0 (a burn rate: 1 spends the budget exactly over the SLO window), was '{YamlNodes.ScalarText(value) ?? YamlNodes.Kind(value)}'", YamlNodes.Line(value));
        return null;
    }

    private static Dictionary<string, YamlNode>? ReadMapping(
        YamlNode node, string field, IReadOnlyList<string> keys, string expected, Action<string, string, int> error)
    {
        if (node is not YamlMappingNode mapping)
        {
            error(field, $"must be {expected}, not {YamlNodes.Kind(node)}", YamlNodes.Line(node));
            return null;
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                error(field, "has a key that is not a plain name", YamlNodes.Line(keyNode));
            }
            else if (!keys.Contains(key))
            {
                error($"{field}.{key}", KeySuggestion.UnknownKeyMessage(key, keys), YamlNodes.Line(keyNode));
            }
            else
            {
                result[key] = valueNode;
            }
        }

        return result;
    }
}
