using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Security.Secrets;
using Nimbus.Server.Security.Secrets;

namespace Nimbus.Server.Api;

/// <summary>Secrets: set, rotate, delete, list (names, versions and times, never values) and master-key rotation.</summary>
public static class SecretEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/secrets", ListAsync);
        api.MapPut("/secrets/{name}", SetAsync);
        api.MapPost("/secrets/{name}/rotate", RotateAsync);
        api.MapDelete("/secrets/{name}", DeleteAsync);
        api.MapPost("/secrets/rotate-master-key", RotateMasterKeyAsync);
    }

    private static async Task<Ok<SecretInfo[]>> ListAsync(SecretVault vault, CancellationToken cancellationToken) =>
        TypedResults.Ok((await vault.ListAsync(cancellationToken)).ToArray());

    private static async Task<Results<Ok<SecretInfo>, ProblemHttpResult>> SetAsync(
        string name, SecretValueRequest? body, SecretVault vault, CancellationToken cancellationToken)
    {
        if (Check(name, body) is { } problem)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await vault.SetAsync(name, body!.Value!, cancellationToken));
        }
        catch (SecretVaultException ex)
        {
            return Unavailable(ex);
        }
    }

    private static async Task<Results<Ok<SecretInfo>, ProblemHttpResult>> RotateAsync(
        string name, SecretValueRequest? body, SecretVault vault, CancellationToken cancellationToken)
    {
        if (Check(name, body) is { } problem)
        {
            return problem;
        }

        try
        {
            return await vault.RotateAsync(name, body!.Value!, cancellationToken) is { } info
                ? TypedResults.Ok(info)
                : NotFound(name);
        }
        catch (SecretVaultException ex)
        {
            return Unavailable(ex);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, SecretVault vault, CancellationToken cancellationToken) =>
        await vault.DeleteAsync(name, cancellationToken) ? TypedResults.NoContent() : NotFound(name);

    private static async Task<Results<Ok<MasterKeyRotationResult>, ProblemHttpResult>> RotateMasterKeyAsync(SecretVault vault, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(new MasterKeyRotationResult(await vault.RotateMasterKeyAsync(cancellationToken)));
        }
        catch (SecretVaultException ex)
        {
            return Unavailable(ex);
        }
        catch (InvalidOperationException ex)
        {
            return ApiProblems.Conflict("Master key not rotatable", ex.Message);
        }
    }

    private static ProblemHttpResult? Check(string name, SecretValueRequest? body)
    {
        if (SecretNames.Check(name) is { } nameError)
        {
            return ApiProblems.BadRequest("Invalid secret name", $"the secret name {nameError}");
        }

        if (body?.Value is not { } value)
        {
            return ApiProblems.BadRequest("Invalid secret", "give the value as {\"value\": \"...\"}");
        }

        if (value.Length == 0)
        {
            return ApiProblems.BadRequest("Invalid secret", "the value must not be empty");
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        return bytes > SecretVault.MaxValueBytes
            ? ApiProblems.BadRequest("Invalid secret", $"the value is {bytes} bytes; at most {SecretVault.MaxValueBytes} are allowed")
            : null;
    }

    private static ProblemHttpResult NotFound(string name) =>
        ApiProblems.NotFound("Secret not found", $"there is no secret '{name}'; create it with `nimbus secrets set {name}`");

    private static ProblemHttpResult Unavailable(SecretVaultException ex) => ApiProblems.Conflict("Secrets unavailable", ex.Message);
}
