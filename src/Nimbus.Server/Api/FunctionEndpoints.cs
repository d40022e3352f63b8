using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
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
        MethodNotAllowed.Map(api, "/functions", "GET");
        MethodNotAllowed.Map(api, "/functions/{name}", "GET", "PUT", "DELETE");
        MethodNotAllowed.Map(api, "/functions/{name}/code", "PUT");
        // The native invoke endpoint is mapped by the host; its path belongs to this API all the same.
        MethodNotAllowed.Map(api, "/functions/{name}/invoke", "POST");
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

    private static async Task<IResult> PutAsync(
        string name, FunctionConfigRequest? body, ControlPlane control, Alarms.AlarmSync alarms, TimeProvider time, CancellationToken cancellationToken)
    {
        var (put, error) = await control.PutFunctionAsync(name, body, cancellationToken);
        if (error is not null)
        {
            return ApiProblems.From(error);
        }

        // The function's alarms follow its configuration at once, so `nimbus alarms list` right after a deploy shows them.
        await alarms.SyncFunctionAsync(name, time.GetUtcNow(), cancellationToken);

        var info = FunctionInfo.From(put!.Function);
        return put.Created ? TypedResults.Created($"/api/v1/functions/{name}", info) : TypedResults.Ok(info);
    }

    private static async Task<IResult> DeleteAsync(string name, ControlPlane control, Alarms.AlarmSync alarms, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await control.DeleteFunctionAsync(name, cancellationToken) is { } error)
        {
            return ApiProblems.From(error);
        }

        await alarms.SyncFunctionAsync(name, time.GetUtcNow(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutCodeAsync(
        string name, HttpContext context, INimbusStore store, PackageStore packages, ControlPlane control, CancellationToken cancellationToken)
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

        var (function, error) = await control.SetCodeAsync(name, stored.Sha256, stored.Size, cancellationToken);
        return error is not null
            ? ApiProblems.From(error)
            : TypedResults.Ok(new CodeUploadResult(name, stored.Sha256, stored.Size, stored.Created, function!.Revision));
    }
}
