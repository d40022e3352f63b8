using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>A function's webhook deliveries (newest first, every attempt) and its signing secret.</summary>
public static class WebhookEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/deliveries", ListAsync);
        api.MapGet("/functions/{name}/webhook-secret", GetSecretAsync);
        api.MapPost("/functions/{name}/webhook-secret/rotate", RotateSecretAsync);
    }

    private static async Task<Results<Ok<WebhookDelivery[]>, ProblemHttpResult>> ListAsync(
        string name, int? limit, INimbusStore store, SqliteWebhookStore webhooks, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest("Invalid limit", $"limit must be between 1 and {MaxLimit}, was {limit}");
        }

        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        return TypedResults.Ok((await webhooks.ListAsync(name, limit ?? DefaultLimit, cancellationToken)).ToArray());
    }

    private static async Task<Results<Ok<WebhookSecretInfo>, ProblemHttpResult>> GetSecretAsync(
        string name, INimbusStore store, SqliteWebhookStore webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        await store.GetFunctionAsync(name, cancellationToken) is null
            ? ApiProblems.FunctionNotFound(name)
            : TypedResults.Ok(new WebhookSecretInfo(name, await webhooks.GetOrCreateSecretAsync(name, time.GetUtcNow(), cancellationToken)));

    private static async Task<Results<Ok<WebhookSecretInfo>, ProblemHttpResult>> RotateSecretAsync(
        string name, INimbusStore store, SqliteWebhookStore webhooks, TimeProvider time, CancellationToken cancellationToken) =>
        await store.GetFunctionAsync(name, cancellationToken) is null
            ? ApiProblems.FunctionNotFound(name)
            : TypedResults.Ok(new WebhookSecretInfo(name, await webhooks.RotateSecretAsync(name, time.GetUtcNow(), cancellationToken)));
}
