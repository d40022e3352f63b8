using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Errors;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>A function's error groups, and one group by id.</summary>
public static class ErrorEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/errors", ListAsync);
        api.MapGet("/errors/{id}", GetAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<ErrorGroupInfo>>, ProblemHttpResult>> ListAsync(
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

        return TypedResults.Ok(await observability.ListErrorGroupsAsync(name, limit ?? 100, cancellationToken));
    }

    private static async Task<Results<Ok<ErrorGroupInfo>, ProblemHttpResult>> GetAsync(
        string id, SqliteObservabilityStore observability, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return ApiProblems.BadRequest("Invalid error group id", $"'{id}' is not an error group id (a positive number, as `nimbus errors NAME` lists them)");
        }

        return await observability.GetErrorGroupAsync(number, cancellationToken) is { } group
            ? TypedResults.Ok(group)
            : ApiProblems.NotFound("Error group not found", $"Error group not found: {id}");
    }
}
