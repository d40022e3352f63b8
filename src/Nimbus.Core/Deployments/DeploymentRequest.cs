using System.Text.Json;

namespace Nimbus.Core.Deployments;

/// <summary>
/// The body of <c>POST /api/v1/functions/{name}/deployments</c>. <see cref="Strategy"/> is a name
/// (<c>"Canary10Percent5Minutes"</c>) or an object (<c>{"type": "linear", "percent": 20, "interval": "2m"}</c>).
/// </summary>
public sealed record DeploymentRequest
{
    public string? Alias { get; init; }
    public string? ToVersion { get; init; }
    public JsonElement Strategy { get; init; }
    public IReadOnlyList<string>? Alarms { get; init; }
    public DeploymentHooksRequest? Hooks { get; init; }
    public BudgetGateSettings? BudgetGate { get; init; }
    public bool Force { get; init; }
}
