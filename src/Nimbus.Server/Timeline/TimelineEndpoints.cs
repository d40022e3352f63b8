using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Logs;
using Nimbus.Core.Timeline;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary><c>GET /api/v1/timeline[?function=&amp;since=&amp;limit=]</c>: changes, alarm transitions and new error groups, newest first.</summary>
public static class TimelineEndpoints
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromDays(1);
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/timeline", ReadAsync);

    private static async Task<Results<Ok<IReadOnlyList<TimelineEvent>>, ProblemHttpResult>> ReadAsync(
        string? function, string? since, string? limit, INimbusStore store, TimelineService timeline, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - DefaultSince;
        if (since is not null && !TimeExpression.TryParseInstant(since, now, out from, out var error))
        {
            return ApiProblems.BadRequest("Invalid 'since'", $"'since' {error}, was '{since}'");
        }

        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"'limit' must be a whole number from 1 to {MaxLimit}, was '{limit}'");
        }

        if (function is not null && await store.GetFunctionAsync(function, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function);
        }

        return TypedResults.Ok(await timeline.ReadAsync(function, from, count, cancellationToken));
    }
}
