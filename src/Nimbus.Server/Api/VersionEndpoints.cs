using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Immutable versions: <c>/api/v1/functions/{name}/versions</c>.</summary>
public static class VersionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions/{name}/versions", ListAsync);
        api.MapPost("/functions/{name}/versions", PublishAsync);
        MethodNotAllowed.Map(api, "/functions/{name}/versions", "GET", "POST");
    }

    private static async Task<Results<Ok<VersionInfo[]>, ProblemHttpResult>> ListAsync(string name, INimbusStore store, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var versions = await store.ListVersionsAsync(name, cancellationToken);
        return TypedResults.Ok(versions.Select(VersionInfo.From).ToArray());
    }

    private static async Task<IResult> PublishAsync(string name, PublishVersionRequest? body, ControlPlane control, CancellationToken cancellationToken)
    {
        var (version, error) = await control.PublishVersionAsync(name, body?.Description, cancellationToken);
        return error is not null
            ? ApiProblems.From(error)
            : TypedResults.Created($"/api/v1/functions/{name}/versions/{version!.Number}", VersionInfo.From(version));
    }
}
