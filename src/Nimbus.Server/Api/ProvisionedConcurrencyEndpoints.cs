using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Warm instances per version or alias: <c>/api/v1/functions/{name}/provisioned-concurrency/{qualifier}</c>.</summary>
public static class ProvisionedConcurrencyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/functions/{name}/provisioned-concurrency/{qualifier}", PutAsync);
        api.MapGet("/functions/{name}/provisioned-concurrency", ListAsync);
    }

    private static async Task<Results<Ok<ProvisionedConcurrencyRecord>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string name, string qualifier, ProvisionedConcurrencyRequest? body, INimbusStore store, RoutingState routing, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is not { } function)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var errors = new List<ValidationError>();
        if (body is null || body.Count < 0)
        {
            errors.Add(new("count", "must be 0 or more"));
        }
        else if (function.Config.ReservedConcurrency is { } reserved && body.Count > reserved)
        {
            errors.Add(new("count", $"must not exceed the function's reserved concurrency of {reserved}"));
        }

        if (routing.Current.Resolve(name, qualifier, 0).Status != Core.Routing.ResolveStatus.Found)
        {
            errors.Add(new("qualifier", $"'{qualifier}' is not a published version, alias or $LATEST with code"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        await store.SetProvisionedConcurrencyAsync(name, qualifier, body!.Count, cancellationToken);
        await routing.ReloadAsync(cancellationToken);
        return TypedResults.Ok(new ProvisionedConcurrencyRecord(name, qualifier, body.Count));
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
