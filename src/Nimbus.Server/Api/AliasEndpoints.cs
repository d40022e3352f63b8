using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Aliases with optional weighted routing: <c>/api/v1/functions/{name}/aliases</c>.</summary>
public static class AliasEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/aliases", ListAsync);
        api.MapGet("/functions/{name}/aliases/{alias}", GetAsync);
        api.MapPut("/functions/{name}/aliases/{alias}", PutAsync);
        api.MapDelete("/functions/{name}/aliases/{alias}", DeleteAsync);
        MethodNotAllowed.Map(api, "/functions/{name}/aliases", "GET");
        MethodNotAllowed.Map(api, "/functions/{name}/aliases/{alias}", "GET", "PUT", "DELETE");
    }

    private static async Task<Results<Ok<AliasInfo[]>, ProblemHttpResult>> ListAsync(string name, INimbusStore store, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var aliases = await store.ListAliasesAsync(name, cancellationToken);
        return TypedResults.Ok(aliases.Select(AliasInfo.From).ToArray());
    }

    private static async Task<Results<Ok<AliasInfo>, ProblemHttpResult>> GetAsync(string name, string alias, INimbusStore store, CancellationToken cancellationToken) =>
        await store.GetAliasAsync(name, alias, cancellationToken) is { } record
            ? TypedResults.Ok(AliasInfo.From(record))
            : ApiProblems.NotFound("Alias not found", $"Alias not found: {name}:{alias}");

    private static async Task<IResult> PutAsync(string name, string alias, AliasRequest? body, ControlPlane control, CancellationToken cancellationToken)
    {
        var (saved, error) = await control.PutAliasAsync(name, alias, body, cancellationToken);
        return error is not null ? ApiProblems.From(error) : TypedResults.Ok(AliasInfo.From(saved!));
    }

    private static async Task<IResult> DeleteAsync(string name, string alias, ControlPlane control, CancellationToken cancellationToken) =>
        await control.DeleteAliasAsync(name, alias, cancellationToken) is { } error ? ApiProblems.From(error) : TypedResults.NoContent();
}
