using System.Globalization;
using System.Text.Json.Nodes;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>The body of <c>POST /api/v1/functions/{name}/deployments</c> for a manifest's <c>deployment:</c> block.</summary>
internal static class DeploymentRequestBody
{
    public static JsonObject For(ManifestDeployment deployment, string alias, long toVersion, bool force)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        JsonNode strategy = deployment.StrategyFields.Count == 1 && deployment.StrategyFields.TryGetValue("name", out var name)
            ? JsonValue.Create(name)!
            : new JsonObject(deployment.StrategyFields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value))));
        var body = new JsonObject
        {
            ["alias"] = alias,
            ["toVersion"] = toVersion.ToString(CultureInfo.InvariantCulture),
            ["strategy"] = strategy,
            ["alarms"] = new JsonArray([.. deployment.Alarms.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["force"] = force,
        };
        if (deployment.Hooks is { } hooks)
        {
            body["hooks"] = new JsonObject { ["preTraffic"] = hooks.PreTraffic, ["postTraffic"] = hooks.PostTraffic, ["timeout"] = hooks.Timeout };
        }

        if (deployment.BudgetGate is { MaxBurnRate: { } maxBurn })
        {
            body["budgetGate"] = new JsonObject { ["maxBurnRate"] = maxBurn };
        }

        return body;
    }
}
