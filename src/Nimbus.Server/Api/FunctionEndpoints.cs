using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;
using Nimbus.Server.Packages;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Functions and their code: <c>/api/v1/functions</c>.</summary>
public static class FunctionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/functions", ListAsync);
        api.MapGet("/functions/{name}", GetAsync);
        api.MapPut("/functions/{name}", PutAsync);
        api.MapDelete("/functions/{name}", DeleteAsync);
        api.MapPut("/functions/{name}/code", PutCodeAsync);
    }

    private static async Task<Ok<FunctionInfo[]>> ListAsync(INimbusStore store, CancellationToken cancellationToken)
    {
        var functions = await store.ListFunctionsAsync(cancellationToken);
        return TypedResults.Ok(functions.Select(FunctionInfo.From).ToArray());
    }

    private static async Task<Results<Ok<FunctionInfo>, ProblemHttpResult>> GetAsync(string name, INimbusStore store, CancellationToken cancellationToken) =>
        await store.GetFunctionAsync(name, cancellationToken) is { } function
            ? TypedResults.Ok(FunctionInfo.From(function))
            : ApiProblems.FunctionNotFound(name);

    private static async Task<Results<Created<FunctionInfo>, Ok<FunctionInfo>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string name, FunctionConfigRequest? body, INimbusStore store, RoutingState routing, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("Missing body", "Send the function configuration as JSON: {\"runtime\": \"node\", \"handler\": \"index.handler\", ...}");
        }

        var config = body.ToConfig(name);
        var errors = FunctionConfigValidator.Validate(config).ToList();
        errors.AddRange(RouteConflicts(config, routing));
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var existed = await store.GetFunctionAsync(name, cancellationToken) is not null;
        var saved = await store.UpsertFunctionConfigAsync(config, cancellationToken);
        await routing.ReloadAsync(cancellationToken);
        var info = FunctionInfo.From(saved);
        return existed ? TypedResults.Ok(info) : TypedResults.Created($"/api/v1/functions/{name}", info);
    }

    /// <summary>A route already served by another function would make the gateway's choice arbitrary: refuse it.</summary>
    private static IEnumerable<ValidationError> RouteConflicts(FunctionConfig config, RoutingState routing)
    {
        for (var i = 0; i < config.Routes.Count; i++)
        {
            var route = config.Routes[i];
            foreach (var other in routing.Current.Functions)
            {
                if (other.Function.Name == config.Name)
                {
                    continue;
                }

                foreach (var taken in other.Function.Config.Routes)
                {
                    if (string.Equals(taken.Method, route.Method, StringComparison.OrdinalIgnoreCase) && taken.Path == route.Path)
                    {
                        yield return new ValidationError($"routes[{i}]", $"'{route.Method} {route.Path}' is already served by function '{other.Function.Name}'");
                    }
                }
            }
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, INimbusStore store, RoutingState routing, CancellationToken cancellationToken)
    {
        if (!await store.DeleteFunctionAsync(name, cancellationToken))
        {
            return ApiProblems.FunctionNotFound(name);
        }

        await routing.ReloadAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CodeUploadResult>, ProblemHttpResult>> PutCodeAsync(
        string name, HttpContext context, INimbusStore store, PackageStore packages, RoutingState routing, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            // The package store enforces its own, precise limit; Kestrel's default (30 MB) would cut it short with a bare 413.
            bodySize.MaxRequestBodySize = null;
        }

        StoredPackage stored;
        try
        {
            stored = await packages.StoreAsync(context.Request.Body, cancellationToken);
        }
        catch (ArchiveRejectedException ex)
        {
            var status = ex.Reason == "ArchiveTooLarge" ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return TypedResults.Problem(title: "Package rejected", detail: ex.Message, statusCode: status,
                extensions: new Dictionary<string, object?> { ["reason"] = ex.Reason, ["entry"] = ex.EntryName });
        }

        await store.RecordPackageAsync(stored.Sha256, stored.Size, cancellationToken);
        var function = await store.SetFunctionCodeAsync(name, stored.Sha256, stored.Size, cancellationToken);
        if (function is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        await routing.ReloadAsync(cancellationToken);
        return TypedResults.Ok(new CodeUploadResult(name, stored.Sha256, stored.Size, stored.Created, function.Revision));
    }
}
