using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Schedules;

/// <summary><c>GET /api/v1/schedules[?function=NAME]</c>: every declared schedule with its next fire time and last result.</summary>
public static class ScheduleEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/schedules", ListAsync);
        SchedulePauseEndpoints.Map(api);
    }

    private static async Task<Results<Ok<ScheduleInfo[]>, ProblemHttpResult>> ListAsync(
        string? function, INimbusStore store, SqliteScheduleStore schedules, CancellationToken cancellationToken)
    {
        IReadOnlyList<FunctionRecord> functions;
        if (function is not null)
        {
            if (await store.GetFunctionAsync(function, cancellationToken) is not { } record)
            {
                return ApiProblems.FunctionNotFound(function);
            }

            functions = [record];
        }
        else
        {
            functions = await store.ListFunctionsAsync(cancellationToken);
        }

        var states = (await schedules.ListAsync(function, cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var infos = new List<ScheduleInfo>();
        foreach (var record in functions)
        {
            var declared = record.Config.Schedules ?? [];
            for (var i = 0; i < declared.Count; i++)
            {
                var config = declared[i];
                var id = $"{record.Name}-{i}";
                var state = states.GetValueOrDefault(id);
                infos.Add(new ScheduleInfo(id, record.Name, config.Expression, config.Timezone, config.Enabled, config.Missed ?? "once",
                    config.Enabled ? state?.NextFireAt : null, state?.LastFireAt, state?.LastResult, state?.LastRequestId)
                {
                    Paused = state?.PausedAt is not null,
                });
            }
        }

        return TypedResults.Ok(infos.ToArray());
    }
}
