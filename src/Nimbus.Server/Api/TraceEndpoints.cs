using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Logs;
using Nimbus.Core.Tracing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Traces: a list filtered by function, age, duration and errors, and one trace's spans.</summary>
public static class TraceEndpoints
{
    public const int MaxLimit = 1000;
    private static readonly TimeSpan s_defaultWindow = TimeSpan.FromHours(1);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/traces", ListAsync);
        api.MapGet("/traces/{traceId}", GetAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<TraceSummary>>, ProblemHttpResult>> ListAsync(
        string? function, string? since, string? minDuration, string? error, int? limit, INimbusStore store, SqliteObservabilityStore observability,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - s_defaultWindow;
        if (since is not null && !TimeExpression.TryParseInstant(since, now, out from, out var sinceError))
        {
            return ApiProblems.BadRequest("Invalid 'since'", $"'{since}' {sinceError}");
        }

        double? minMs = null;
        if (minDuration is not null)
        {
            if (TimeExpression.TryParseDuration(minDuration, out var duration))
            {
                minMs = duration.TotalMilliseconds;
            }
            else if (double.TryParse(minDuration, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            {
                minMs = ms;
            }
            else
            {
                return ApiProblems.BadRequest("Invalid 'minDuration'", $"'{minDuration}' is neither milliseconds (250) nor a duration (250ms, 2s)");
            }
        }

        var errorsOnly = false;
        if (error is not null && !bool.TryParse(error, out errorsOnly))
        {
            return ApiProblems.BadRequest("Invalid 'error'", $"error must be true or false, was '{error}'");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}");
        }

        if (function is not null && await store.GetFunctionAsync(function, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function);
        }

        return TypedResults.Ok(await observability.ListTracesAsync(function, from, minMs, errorsOnly, limit ?? 100, cancellationToken));
    }

    private static async Task<Results<Ok<TraceDetail>, ProblemHttpResult>> GetAsync(
        string traceId, SqliteObservabilityStore observability, CancellationToken cancellationToken)
    {
        var id = traceId.ToLowerInvariant();
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return ApiProblems.BadRequest("Invalid trace id", $"'{traceId}' is not a trace id (32 hex digits, as `nimbus traces list` shows them)");
        }

        var spans = await observability.GetTraceAsync(id, cancellationToken);
        return spans.Count == 0
            ? ApiProblems.NotFound("Trace not found", $"Trace not found: {id} (spans are kept {SqliteObservabilityStore.SpanRetention.TotalDays:0} days)")
            : TypedResults.Ok(new TraceDetail(id, spans));
    }
}
