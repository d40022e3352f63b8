using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Schedules;

/// <summary>
/// <c>POST /api/v1/functions/{name}/schedules/pause</c> and <c>…/resume</c>: stop and restart a function's schedules
/// without a redeploy. Answers how many schedules changed state.
/// </summary>
public static class SchedulePauseEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/functions/{name}/schedules/pause", PauseAsync);
        api.MapPost("/functions/{name}/schedules/resume", ResumeAsync);
    }

    private static async Task<Results<Ok<PauseResult>, ProblemHttpResult>> PauseAsync(
        string name, INimbusStore store, SqlitePauseStore pauses, ScheduleLoop loop, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        // A pass first, so that schedules declared a moment ago have a row to pause.
        await loop.TickAsync(time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new PauseResult(await pauses.PauseSchedulesAsync(name, time.GetUtcNow(), cancellationToken)));
    }

    private static async Task<Results<Ok<PauseResult>, ProblemHttpResult>> ResumeAsync(
        string name, INimbusStore store, SqlitePauseStore pauses, ScheduleLoop loop, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var resumed = await pauses.ResumeSchedulesAsync(name, cancellationToken);
        await loop.TickAsync(time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new PauseResult(resumed));
    }
}
