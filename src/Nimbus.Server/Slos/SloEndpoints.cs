using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Alarms;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Slos;

/// <summary><c>GET /api/v1/slos[?function=]</c> (every objective's budget and burn rates) and
/// <c>GET /api/v1/functions/{name}/health[?version=]</c> (alarms in ALARM and budgets, the deployment gate's one query).</summary>
public static class SloEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/slos", ListAsync);
        api.MapGet("/functions/{name}/health", HealthAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<SloStatus>>, ProblemHttpResult>> ListAsync(
        string? function, INimbusStore store, SloStatusService slos, TimeProvider time, CancellationToken cancellationToken)
    {
        if (function is not null && await store.GetFunctionAsync(function, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function);
        }

        return TypedResults.Ok(await slos.ListAsync(function, time.GetUtcNow(), cancellationToken));
    }

    private static async Task<Results<Ok<FunctionHealth>, ProblemHttpResult>> HealthAsync(
        string name, string? version, INimbusStore store, FunctionHealthQuery health, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        return TypedResults.Ok(await health.GetAsync(name, version, time.GetUtcNow(), cancellationToken));
    }
}
