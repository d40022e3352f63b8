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
        MethodNotAllowed.Map(api, "/functions/{name}/logs", "GET");
        MethodNotAllowed.Map(api, "/functions/{name}/invocations", "GET");
    }

    private static async Task<Results<Ok<IReadOnlyList<LogRecord>>, ProblemHttpResult>> QueryAsync(
        string name, string? requestId, string? since, string? until, string? level, string? q, long? afterId, int? limit, string? traceId,
        INimbusStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (traceId is not null && (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit)))
        {
            return ApiProblems.BadRequest("Invalid 'traceId'", $"'{Shown(traceId)}' is not a trace id: expected 32 hex digits");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? from = null, to = null;
        if (since is not null)
        {
            if (!TimeExpression.TryParseInstant(since, now, out var parsed, out var error))
            {
                return ApiProblems.BadRequest("Invalid 'since'", $"'{Shown(since)}' {error}");
            }

            from = parsed;
        }

        if (until is not null)
        {
            if (!TimeExpression.TryParseInstant(until, now, out var parsed, out var error))
            {
                return ApiProblems.BadRequest("Invalid 'until'", $"'{Shown(until)}' {error}");
            }

            to = parsed;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}");
        }

        // Logs outlive their function in the store, but asking for those of a name that is not a function is almost
        // always a typo: say so instead of answering an empty list.
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var records = await store.QueryLogsAsync(new LogQuery(name, requestId, from, to, level, q, afterId, limit ?? 1000)
        {
            TraceId = traceId?.ToLowerInvariant(),
        }, cancellationToken);
        return TypedResults.Ok(records);
    }

    private static async Task<Results<Ok<IReadOnlyList<InvocationRecord>>, ProblemHttpResult>> InvocationsAsync(
        string name, int? limit, INimbusStore store, SqliteObservabilityStore observability, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}");
        }

        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        // Records are one row of observability.db since its schema 5; those written before are still in nimbus.db.
        var count = limit ?? 100;
        var current = await observability.ListInvocationsAsync(name, count, cancellationToken);
        var earlier = current.Count < count ? await store.ListInvocationsAsync(name, count, cancellationToken) : [];
        return TypedResults.Ok(InvocationListing.Merge(current, earlier, count));
    }

    private static string Shown(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
