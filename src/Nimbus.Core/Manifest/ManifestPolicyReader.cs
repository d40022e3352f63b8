using Nimbus.Core.Security.Policy;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>policy:</c> list, each item <c>{allow: ACTION, resource: PATTERN}</c>, and checks each
/// statement with <see cref="PolicyRules"/> here, where the item's own path and line are known (the function reader
/// therefore leaves the validator's <c>policy</c> errors out).
/// </summary>
public static class ManifestPolicyReader
{
    public static readonly IReadOnlyList<string> Keys = ["allow", "resource"];

    /// <param name="field">The manifest path of the list, e.g. <c>functions.orders.policy</c>.</param>
    /// <param name="error">Reports (field, message, line).</param>
    /// <param name="lines">Receives the line of each item and setting under its validator field name (<c>policy[0].allow</c>).</param>
    public static IReadOnlyList<PolicyStatement>? Read(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            error(field, $"must be a list of statements ('- {{allow: secret:read, resource: db-password}}'), not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        lines["policy"] = YamlNodes.Line(value);
        var statements = new List<PolicyStatement>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var at = $"{field}[{i}]";
            var validatorField = $"policy[{i}]";
            lines[validatorField] = YamlNodes.Line(item);
            if (item is not YamlMappingNode mapping)
            {
                error(at, $"must be a mapping {{allow: ACTION, resource: PATTERN}}, not {(YamlNodes.IsNull(item) ? "empty" : YamlNodes.Kind(item))}", YamlNodes.Line(item));
                continue;
            }

            string? allow = null;
            string? resource = null;
            var ok = true;
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!Keys.Contains(key))
                {
                    error($"{at}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                    ok = false;
                    continue;
                }

                lines[$"{validatorField}.{key}"] = YamlNodes.Line(valueNode);
                var text = YamlNodes.ScalarText(valueNode);
                if (text is null)
                {
                    error($"{at}.{key}", YamlNodes.IsNull(valueNode) ? "must not be empty" : $"must be text, not {YamlNodes.Kind(valueNode)}", YamlNodes.Line(valueNode));
                    ok = false;
                }
                else if (key == "allow")
                {
                    allow = text.Trim();
                }
                else
                {
                    resource = text.Trim();
                }
            }

            if (!ok)
            {
                continue;
            }

            var actionError = PolicyRules.CheckAction(allow);
            var resourceError = PolicyRules.CheckResource(resource);
            if (actionError is not null)
            {
                error($"{at}.allow", actionError, lines.TryGetValue($"{validatorField}.allow", out var line) ? line : YamlNodes.Line(item));
            }

            if (resourceError is not null)
            {
                error($"{at}.resource", resourceError, lines.TryGetValue($"{validatorField}.resource", out var line) ? line : YamlNodes.Line(item));
            }

            statements.Add(new PolicyStatement(allow ?? "", resource ?? ""));
        }

        if (statements.Count > PolicyRules.MaxStatements)
        {
            error(field, $"has {statements.Count} statements; at most {PolicyRules.MaxStatements} are allowed", YamlNodes.Line(value));
        }

        return statements;
    }
}
