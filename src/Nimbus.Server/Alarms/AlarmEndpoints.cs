using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary><c>GET /api/v1/alarms[?function=]</c>, <c>GET /api/v1/alarms/{name}</c>, <c>GET /api/v1/alarms/{name}/history</c>.</summary>
public static class AlarmEndpoints
{
    public const int DefaultHistoryLimit = 100;
    public const int MaxHistoryLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/alarms", ListAsync);
        api.MapGet("/alarms/{name}", GetAsync);
        api.MapGet("/alarms/{name}/history", HistoryAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<AlarmInfo>>, ProblemHttpResult>> ListAsync(
        string? function, INimbusStore store, SqliteAlarmStore alarms, CancellationToken cancellationToken)
    {
        if (function is not null && await store.GetFunctionAsync(function, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function);
        }

        var list = await alarms.ListAsync(function, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AlarmInfo>>(list.Select(AlarmInfo.From).ToList());
    }

    private static async Task<Results<Ok<AlarmInfo>, ProblemHttpResult>> GetAsync(string name, SqliteAlarmStore alarms, CancellationToken cancellationToken) =>
        await alarms.GetAsync(name, cancellationToken) is { } alarm
            ? TypedResults.Ok(AlarmInfo.From(alarm))
            : AlarmNotFound(name);

    private static async Task<Results<Ok<IReadOnlyList<AlarmHistoryEntry>>, ProblemHttpResult>> HistoryAsync(
        string name, string? limit, SqliteAlarmStore alarms, CancellationToken cancellationToken)
    {
        var count = DefaultHistoryLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxHistoryLimit))
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"'limit' must be a whole number from 1 to {MaxHistoryLimit}, was '{limit}'");
        }

        if (await alarms.GetAsync(name, cancellationToken) is null)
        {
            return AlarmNotFound(name);
        }

        var history = await alarms.ListHistoryAsync(name, count, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AlarmHistoryEntry>>(history.Select(AlarmHistoryEntry.From).ToList());
    }

    private static ProblemHttpResult AlarmNotFound(string name) => ApiProblems.NotFound("Alarm not found", $"Alarm not found: {name}");
}
