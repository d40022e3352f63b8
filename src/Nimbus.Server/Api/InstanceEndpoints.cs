using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Instances;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Api;

/// <summary>Running worker processes, and the platform's health.</summary>
public static class InstanceEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/instances", List);
        api.MapGet("/health", Health);
        MethodNotAllowed.Map(api, "/instances", "GET");
        MethodNotAllowed.Map(api, "/health", "GET");
    }

    private static Ok<InstanceInfo[]> List(Dispatcher dispatcher) =>
        TypedResults.Ok(dispatcher.AllInstances()
            .Where(i => i.State != InstanceState.Dead)
            .Select(i => new InstanceInfo(i.Id, i.Target.FunctionName, i.Target.Version, i.ProcessId, i.Port, i.State.ToString(),
                i.Provisioned, i.StartedAt, i.InitDurationMs, i.Statistics.InvocationCount, i.Statistics.LastUsedAt)
            {
                Slots = i.Slots,
                InFlight = i.TakenSlots,
                SchedulingNice = i.SchedulingNice,
            })
            .OrderBy(i => i.FunctionName, StringComparer.Ordinal).ThenBy(i => i.StartedAt)
            .ToArray());

    private static IResult Health(Dispatcher dispatcher) => dispatcher.Accepting
        ? TypedResults.Ok(new { status = "ok" })
        : TypedResults.Json(new { status = "stopping" }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
