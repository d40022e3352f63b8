using System.Globalization;
using System.Text.Json;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Server.Api;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// The deployment operations behind the API: validate and record a deployment, pass stop/promote/rollback and hook
/// reports to the loop and let it act at once (the same decision it would take on its next tick).
/// </summary>
public sealed class DeploymentManager(
    INimbusStore store, IDeploymentStore deployments, DeploymentLoop loop, IDeploymentSignals signals, RoutingState routing, TimeProvider time)
{
    public async Task<ControlResult<Deployment>> StartAsync(string functionName, DeploymentRequest? body, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(functionName, cancellationToken).ConfigureAwait(false) is null)
        {
            return ControlError.FunctionNotFound(functionName);
        }

        if (body is null)
        {
            return ControlError.Invalid("Invalid deployment",
                [new("$", "must be a JSON object: {\"alias\": \"live\", \"toVersion\": \"3\", \"strategy\": \"Canary10Percent5Minutes\"}")]);
        }

        var errors = new List<ValidationError>();
        if (NameRules.CheckAliasName(body.Alias) is { } aliasError)
        {
            errors.Add(new("alias", aliasError));
        }

        if (body.ToVersion is null || !Qualifier.IsVersionNumber(body.ToVersion, out var toVersion))
        {
            errors.Add(new("toVersion", $"{NameRules.Shown(body.ToVersion)} is not a version number"));
            toVersion = 0;
        }

        var strategy = ParseStrategy(body.Strategy, errors);
        DeploymentHooks? hooks = DeploymentHooks.None;
        if (body.Hooks is { } hookRequest)
        {
            errors.AddRange(DeploymentHooks.Validate(hookRequest.PreTraffic, hookRequest.PostTraffic, hookRequest.Timeout, out hooks));
        }

        if (body.BudgetGate?.MaxBurnRate is { } maxBurn && (double.IsNaN(maxBurn) || maxBurn <= 0))
        {
            errors.Add(new("budgetGate.maxBurnRate", "must be a number greater than 0"));
        }

        var alarms = body.Alarms ?? [];
        if (alarms.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new("alarms", "alarm names must not be empty"));
        }

        if (errors.Count > 0)
        {
            return ControlError.Invalid("Invalid deployment", errors);
        }

        var alias = await store.GetAliasAsync(functionName, body.Alias!, cancellationToken).ConfigureAwait(false);
        if (alias is null)
        {
            return ControlError.NotFound("Alias not found",
                $"Alias not found: {functionName}:{body.Alias}; create it first (PUT /api/v1/functions/{functionName}/aliases/{body.Alias})");
        }

        if (await store.GetVersionAsync(functionName, toVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            return ControlError.NotFound("Version not found", $"version {toVersion} of '{functionName}' does not exist");
        }

        if (alias.Version == toVersion && alias.AdditionalVersion is null)
        {
            return ControlError.Conflict("Nothing to deploy", $"{functionName}:{alias.Name} already serves version {toVersion}");
        }

        var active = (await deployments.ListActiveDeploymentsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.FunctionName == functionName && d.Alias == alias.Name);
        if (active is not null)
        {
            return ControlError.Conflict("Deployment in progress",
                $"deployment {active.Id} is moving {functionName}:{alias.Name} to version {active.ToVersion}; stop or promote it first",
                new Dictionary<string, object?> { ["deploymentId"] = active.Id });
        }

        var now = time.GetUtcNow();
        var deployment = Deployment.Create($"dep-{Guid.NewGuid():N}"[..16], functionName, alias.Name, alias.Version, toVersion, strategy!, hooks!,
            [.. alarms], body.BudgetGate, body.Force, now);
        var observed = await signals.ObserveAsync(deployment, now, cancellationToken).ConfigureAwait(false);
        var gate = BudgetGate.Evaluate(deployment.BudgetGate, observed.Budget, deployment.Forced);
        if (!gate.Open)
        {
            return ControlError.Conflict("Deployment refused", gate.Reason);
        }

        if (!deployment.Forced && FreezeWindow.ActiveFor(observed.FreezeWindows, functionName, now) is { } freeze)
        {
            return ControlError.Conflict("Deployments frozen",
                $"deployments of '{functionName}' are frozen by {freeze.Describe()}; set force (nimbus deploy --force) if this is the fix",
                new Dictionary<string, object?> { ["freezeWindowId"] = freeze.Id, ["freezeWindowEnd"] = freeze.End });
        }

        await deployments.InsertDeploymentAsync(deployment, cancellationToken).ConfigureAwait(false);
        await loop.TickAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await deployments.GetDeploymentAsync(deployment.Id, cancellationToken).ConfigureAwait(false) ?? deployment;
    }

    /// <summary>Stop or promote: recorded, then applied at once.</summary>
    public async Task<ControlResult<Deployment>> CommandAsync(string id, DeploymentCommand command, CancellationToken cancellationToken)
    {
        var deployment = await deployments.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return DeploymentNotFound(id);
        }

        if (!await deployments.SetDeploymentCommandAsync(id, command, cancellationToken).ConfigureAwait(false))
        {
            return ControlError.Conflict("Deployment ended", $"deployment {id} is already {deployment.Status}");
        }

        await loop.TickAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (await deployments.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<ControlResult<Deployment>> ReportHookAsync(string id, string hookExecutionId, HookReportRequest? body, CancellationToken cancellationToken)
    {
        var deployment = await deployments.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return DeploymentNotFound(id);
        }

        if (hookExecutionId != DeploymentController.HookExecutionId(deployment, DeploymentController.PreTrafficPhase)
            && hookExecutionId != DeploymentController.HookExecutionId(deployment, DeploymentController.PostTrafficPhase))
        {
            return ControlError.NotFound("Hook execution not found", $"deployment {id} has no hook execution '{hookExecutionId}'");
        }

        // Names only: Enum.TryParse would also take "1" for Failed.
        HookStatus? parsed = body?.Status switch
        {
            nameof(HookStatus.Succeeded) => HookStatus.Succeeded,
            nameof(HookStatus.Failed) => HookStatus.Failed,
            _ => null,
        };
        if (parsed is not { } status)
        {
            return ControlError.Invalid("Invalid hook report", [new("status", $"{NameRules.Shown(body?.Status)} is not Succeeded or Failed")]);
        }

        await deployments.RecordHookResultAsync(id, hookExecutionId, status, cancellationToken).ConfigureAwait(false);
        await loop.TickAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (await deployments.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Puts the alias back on the version it served before its current one, at once: a deployment in progress is
    /// rolled back (to its old version); otherwise the last succeeded deployment of the alias is undone.
    /// </summary>
    public async Task<ControlResult<RollbackResult>> RollbackAliasAsync(string functionName, string aliasName, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(functionName, cancellationToken).ConfigureAwait(false) is null)
        {
            return ControlError.FunctionNotFound(functionName);
        }

        var alias = await store.GetAliasAsync(functionName, aliasName, cancellationToken).ConfigureAwait(false);
        if (alias is null)
        {
            return ControlError.NotFound("Alias not found", $"Alias not found: {functionName}:{aliasName}");
        }

        var active = (await deployments.ListActiveDeploymentsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.FunctionName == functionName && d.Alias == aliasName);
        if (active is not null)
        {
            await deployments.SetDeploymentCommandAsync(active.Id, DeploymentCommand.Rollback, cancellationToken).ConfigureAwait(false);
            await loop.TickAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new RollbackResult(functionName, aliasName, Text(alias.Version), Text(active.FromVersion), active.Id);
        }

        var lastGood = (await deployments.ListDeploymentsAsync(functionName, 1000, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.Alias == aliasName && d.State == DeploymentState.Succeeded && d.ToVersion == alias.Version);
        if (lastGood is null)
        {
            return ControlError.Conflict("No earlier version",
                $"{functionName}:{aliasName} serves version {alias.Version}, and no deployment to it is recorded, so there is no last known good version to return to; set one with PUT /api/v1/functions/{functionName}/aliases/{aliasName}");
        }

        await store.UpsertAliasAsync(alias with { Version = lastGood.FromVersion, AdditionalVersion = null, AdditionalWeight = 0 }, cancellationToken).ConfigureAwait(false);
        await routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return new RollbackResult(functionName, aliasName, Text(alias.Version), Text(lastGood.FromVersion), null);
    }

    private static ControlError DeploymentNotFound(string id) => ControlError.NotFound("Deployment not found", $"Deployment not found: {id}");

    private static string Text(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static DeploymentStrategy? ParseStrategy(JsonElement element, List<ValidationError> errors)
    {
        StrategyParseResult result;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                result = DeploymentStrategyParser.Parse(element.GetString());
                break;
            case JsonValueKind.Object:
                {
                    var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        fields[property.Name] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetRawText(),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        };
                    }

                    result = DeploymentStrategyParser.Parse(fields);
                    break;
                }

            default:
                result = DeploymentStrategyParser.Parse((string?)null);
                break;
        }

        errors.AddRange(result.Errors);
        return result.Strategy;
    }
}
