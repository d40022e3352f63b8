using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Warm instances per version or alias: <c>/api/v1/functions/{name}/provisioned-concurrency/{qualifier}</c>.</summary>
public static class ProvisionedConcurrencyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/functions/{name}/provisioned-concurrency/{qualifier}", PutAsync);
        api.MapGet("/functions/{name}/provisioned-concurrency", ListAsync);
        MethodNotAllowed.Map(api, "/functions/{name}/provisioned-concurrency/{qualifier}", "PUT");
        MethodNotAllowed.Map(api, "/functions/{name}/provisioned-concurrency", "GET");
    }

    private static async Task<IResult> PutAsync(
        string name, string qualifier, ProvisionedConcurrencyRequest? body, ControlPlane control, CancellationToken cancellationToken)
    {
        var (record, error) = await control.SetProvisionedConcurrencyAsync(name, qualifier, body, cancellationToken);
        return error is not null ? ApiProblems.From(error) : TypedResults.Ok(record);
    }

    private static async Task<Results<Ok<ProvisionedConcurrencyRecord[]>, ProblemHttpResult>> ListAsync(string name, INimbusStore store, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var data = await store.LoadRoutingDataAsync(cancellationToken);
        return TypedResults.Ok(data.ProvisionedConcurrency.Where(p => p.FunctionName == name).ToArray());
    }
}
