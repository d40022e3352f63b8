using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Server.Security;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Least privilege from observed access: the smallest policy covering what a function did, against its declared one.</summary>
public static class PolicyEndpoints
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/functions/{name}/policy/suggestion", SuggestAsync);

    private static async Task<Results<Ok<PolicySuggestionInfo>, ProblemHttpResult>> SuggestAsync(
        string name, INimbusStore store, ObservedAccessStore observed, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is not { } function)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var access = await observed.ListAsync(name, cancellationToken);
        return TypedResults.Ok(PolicySuggestionInfo.From(name, function.Config.Policy, access));
    }
}
