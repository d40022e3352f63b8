using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Deployments;
using Nimbus.Server.Api;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>Deployments: <c>/api/v1/functions/{name}/deployments</c>, <c>/api/v1/deployments</c> and alias rollback.</summary>
public static class DeploymentEndpoints
{
    public const int ListLimit = 100;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/functions/{name}/deployments", StartAsync);
        api.MapGet("/functions/{name}/deployments", (string name, IDeploymentStore store, DeploymentAlarmStates alarms, CancellationToken ct) =>
            ListAsync(name, store, alarms, ct));
        api.MapGet("/deployments", (string? function, IDeploymentStore store, DeploymentAlarmStates alarms, CancellationToken ct) =>
            ListAsync(function, store, alarms, ct));
        api.MapGet("/deployments/{id}", (string id, IDeploymentStore store, DeploymentAlarmStates alarms, ShadowReports shadows, CancellationToken ct) =>
            GetAsync(id, store, alarms, shadows, ct));
        api.MapPost("/deployments/{id}/stop", (string id, DeploymentManager manager, DeploymentAlarmStates alarms, CancellationToken ct) =>
            CommandAsync(id, DeploymentCommand.Stop, manager, alarms, ct));
        api.MapPost("/deployments/{id}/promote", (string id, DeploymentManager manager, DeploymentAlarmStates alarms, CancellationToken ct) =>
            CommandAsync(id, DeploymentCommand.Promote, manager, alarms, ct));
        api.MapPut("/deployments/{id}/hooks/{hookExecutionId}", ReportHookAsync);
        api.MapPost("/functions/{name}/aliases/{alias}/rollback", RollbackAsync);
        MethodNotAllowed.Map(api, "/functions/{name}/deployments", "GET", "POST");
        MethodNotAllowed.Map(api, "/deployments", "GET");
        MethodNotAllowed.Map(api, "/deployments/{id}", "GET");
        MethodNotAllowed.Map(api, "/deployments/{id}/stop", "POST");
        MethodNotAllowed.Map(api, "/deployments/{id}/promote", "POST");
        MethodNotAllowed.Map(api, "/deployments/{id}/hooks/{hookExecutionId}", "PUT");
        MethodNotAllowed.Map(api, "/functions/{name}/aliases/{alias}/rollback", "POST");
    }

    private static async Task<IResult> StartAsync(
        string name, DeploymentRequest? body, DeploymentManager manager, DeploymentAlarmStates alarms, CancellationToken cancellationToken)
    {
        var (deployment, error) = await manager.StartAsync(name, body, cancellationToken);
        return error is not null
            ? ApiProblems.From(error)
            : TypedResults.Created($"/api/v1/deployments/{deployment!.Id}", alarms.Describe(deployment));
    }

    private static async Task<IResult> ListAsync(string? function, IDeploymentStore store, DeploymentAlarmStates alarms, CancellationToken cancellationToken)
    {
        var list = await store.ListDeploymentsAsync(function, ListLimit, cancellationToken);
        return TypedResults.Ok(list.Select(alarms.Describe).ToArray());
    }

    private static async Task<IResult> GetAsync(
        string id, IDeploymentStore store, DeploymentAlarmStates alarms, ShadowReports shadows, CancellationToken cancellationToken)
    {
        if (await store.GetDeploymentAsync(id, cancellationToken) is not { } deployment)
        {
            return ApiProblems.NotFound("Deployment not found", $"Deployment not found: {id}");
        }

        // A shadow deployment that ended before this process started: its report is the one saved last.
        await shadows.ResumeSavedAsync(deployment, store, cancellationToken);

        return TypedResults.Ok(alarms.Describe(deployment));
    }

    private static async Task<IResult> CommandAsync(
        string id, DeploymentCommand command, DeploymentManager manager, DeploymentAlarmStates alarms, CancellationToken cancellationToken)
    {
        var (deployment, error) = await manager.CommandAsync(id, command, cancellationToken);
        return error is not null ? ApiProblems.From(error) : TypedResults.Ok(alarms.Describe(deployment!));
    }

    private static async Task<IResult> ReportHookAsync(
        string id, string hookExecutionId, HookReportRequest? body, DeploymentManager manager, CancellationToken cancellationToken)
    {
        var (deployment, error) = await manager.ReportHookAsync(id, hookExecutionId, body, cancellationToken);
        return error is not null ? ApiProblems.From(error) : TypedResults.Ok(DeploymentInfo.From(deployment!));
    }

    private static async Task<IResult> RollbackAsync(string name, string alias, DeploymentManager manager, CancellationToken cancellationToken)
    {
        var (result, error) = await manager.RollbackAliasAsync(name, alias, cancellationToken);
        return error is not null ? ApiProblems.From(error) : TypedResults.Ok(result);
    }
}
