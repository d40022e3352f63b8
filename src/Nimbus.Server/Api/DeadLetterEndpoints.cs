using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>A function's dead-letter queue: list, show, redrive, purge.</summary>
public static class DeadLetterEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/dlq", ListAsync);
        api.MapGet("/functions/{name}/dlq/{id}", GetAsync);
        api.MapPost("/functions/{name}/dlq/redrive", RedriveAsync);
        api.MapDelete("/functions/{name}/dlq", PurgeAsync);
    }

    private static async Task<Results<Ok<DeadLetterInfo[]>, ProblemHttpResult>> ListAsync(
        string name, int? limit, INimbusStore store, SqliteEventQueue queue, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid limit", $"limit must be between 1 and {MaxLimit}, was {limit}");
        }

        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var letters = await queue.ListDeadLettersAsync(name, limit ?? DefaultLimit, cancellationToken);
        return TypedResults.Ok(letters.Select(DeadLetterInfo.From).ToArray());
    }

    private static async Task<Results<Ok<DeadLetterInfo>, ProblemHttpResult>> GetAsync(
        string name, string id, INimbusStore store, SqliteEventQueue queue, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        return await queue.GetDeadLetterAsync(name, id, cancellationToken) is { } letter
            ? TypedResults.Ok(DeadLetterInfo.From(letter))
            : ApiProblems.NotFound("Dead letter not found", $"Function '{name}' has no dead letter '{id}'");
    }

    private static async Task<Results<Ok<DeadLetterCount>, ProblemHttpResult>> RedriveAsync(
        string name, RedriveRequest? body, INimbusStore store, SqliteEventQueue queue, Events.AsyncEventSignal signal, CancellationToken cancellationToken)
    {
        var hasId = !string.IsNullOrEmpty(body?.Id);
        if (body is null || hasId == body.All)
        {
            return ApiProblems.BadRequest("Invalid redrive", "give either {\"id\": \"<dead letter id>\"} or {\"all\": true}");
        }

        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var count = await queue.RedriveAsync(name, hasId ? body.Id : null, cancellationToken);
        if (hasId && count == 0)
        {
            return ApiProblems.NotFound("Dead letter not found", $"Function '{name}' has no dead letter '{body.Id}'");
        }

        signal.Wake();
        return TypedResults.Ok(new DeadLetterCount(count));
    }

    private static async Task<Results<Ok<DeadLetterCount>, ProblemHttpResult>> PurgeAsync(
        string name, INimbusStore store, SqliteEventQueue queue, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        return TypedResults.Ok(new DeadLetterCount(await queue.PurgeDeadLettersAsync(name, cancellationToken)));
    }
}
