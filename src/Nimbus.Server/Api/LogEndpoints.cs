using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Logs and invocation records of a function.</summary>
public static class LogEndpoints
{
    public const int MaxLimit = 10_000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/logs", QueryAsync);
        api.MapGet("/functions/{name}/invocations", InvocationsAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<LogRecord>>, ProblemHttpResult>> QueryAsync(
        string name, string? requestId, string? since, string? until, string? level, string? q, long? afterId, int? limit,
        INimbusStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? from = null, to = null;
        if (since is not null)
        {
            if (!TimeExpression.TryParseInstant(since, now, out var parsed))
            {
                return ApiProblems.BadRequest("Invalid 'since'", $"'{since}' is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time");
            }

            from = parsed;
        }

        if (until is not null)
        {
            if (!TimeExpression.TryParseInstant(until, now, out var parsed))
            {
                return ApiProblems.BadRequest("Invalid 'until'", $"'{until}' is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time");
            }

            to = parsed;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}");
        }

        var records = await store.QueryLogsAsync(new LogQuery(name, requestId, from, to, level, q, afterId, limit ?? 1000), cancellationToken);
        return TypedResults.Ok(records);
    }

    private static async Task<Results<Ok<IReadOnlyList<InvocationRecord>>, ProblemHttpResult>> InvocationsAsync(
        string name, int? limit, INimbusStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}");
        }

        return TypedResults.Ok(await store.ListInvocationsAsync(name, limit ?? 100, cancellationToken));
    }
}
