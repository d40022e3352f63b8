using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Deployments;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// The server's freeze windows: <c>GET</c>/<c>POST /api/v1/freeze-windows</c> and <c>DELETE /api/v1/freeze-windows/{id}</c>.
/// While a window covers a function, a deployment of it is refused (<c>409</c> naming the window) unless forced.
/// </summary>
public static class FreezeWindowEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/freeze-windows", ListAsync);
        api.MapPost("/freeze-windows", AddAsync);
        api.MapDelete("/freeze-windows/{id}", RemoveAsync);
        MethodNotAllowed.Map(api, "/freeze-windows", "GET", "POST");
        MethodNotAllowed.Map(api, "/freeze-windows/{id}", "DELETE");
    }

    private static async Task<IResult> ListAsync(IFreezeWindowStore windows, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok((await windows.ListFreezeWindowsAsync(time.GetUtcNow(), cancellationToken)).ToArray());

    private static async Task<IResult> AddAsync(
        FreezeWindowRequest? body, IFreezeWindowStore windows, INimbusStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = FreezeWindowValidator.Validate(body, time.GetUtcNow(), out var window);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "Invalid freeze window");
        }

        if (window!.Function is { } function && await store.GetFunctionAsync(function, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function);
        }

        var stored = await windows.InsertFreezeWindowAsync(window, cancellationToken);
        return TypedResults.Created($"/api/v1/freeze-windows/{stored.Id}", stored);
    }

    private static async Task<IResult> RemoveAsync(string id, IFreezeWindowStore windows, CancellationToken cancellationToken) =>
        await windows.DeleteFreezeWindowAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("Freeze window not found", $"Freeze window not found: {id}");
}
