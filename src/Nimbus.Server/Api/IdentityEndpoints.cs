using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Security;
using Nimbus.Server.Security;

namespace Nimbus.Server.Api;

/// <summary>Tokens and access keys (admin only): <c>/api/v1/tokens</c> and <c>/api/v1/keys</c>. A secret is in the create answer only.</summary>
public static class IdentityEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        foreach (var (path, kind) in new[] { ("/tokens", IdentityKinds.Token), ("/keys", IdentityKinds.Key) })
        {
            api.MapGet(path, (IdentityRegistry identities, CancellationToken ct) => ListAsync(kind, identities, ct));
            api.MapPost(path, (HttpContext context, CreateIdentityRequest? body, IdentityRegistry identities, CancellationToken ct) =>
                CreateAsync(kind, context, body, identities, ct));
            api.MapDelete(path + "/{id}", (string id, IdentityRegistry identities, CancellationToken ct) => RevokeAsync(kind, id, identities, ct));
            MethodNotAllowed.Map(api, path, "GET", "POST");
            MethodNotAllowed.Map(api, path + "/{id}", "DELETE");
        }
    }

    private static async Task<IResult> ListAsync(string kind, IdentityRegistry identities, CancellationToken cancellationToken)
    {
        var all = await identities.ListAsync(cancellationToken);
        return TypedResults.Ok(all.Where(i => i.Info.Kind == kind).Select(i => i.Info).ToArray());
    }

    private static async Task<IResult> CreateAsync(string kind, HttpContext context, CreateIdentityRequest? body, IdentityRegistry identities,
        CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (!Roles.IsAssignable(body?.Role))
        {
            errors.Add(new("role", $"{(body?.Role is null ? "is required" : $"'{body.Role}' is not a role")}: one of {string.Join(", ", Roles.Assignable)}"));
        }

        if (body?.Functions is { } pattern && FunctionPattern.Check(pattern) is { } patternError)
        {
            errors.Add(new("functions", patternError));
        }

        if (body?.Description is { Length: > 256 })
        {
            errors.Add(new("description", "must be at most 256 characters"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, $"Invalid {kind}");
        }

        var createdBy = CallerPrincipal.Get(context)?.Id ?? "unknown";
        var created = kind == IdentityKinds.Token
            ? await identities.CreateTokenAsync(body!.Role!, body.Functions, body.Description, createdBy, cancellationToken)
            : await identities.CreateKeyAsync(body!.Role!, body.Functions, body.Description, createdBy, cancellationToken);
        return TypedResults.Created($"/api/v1/{kind}s/{created.Identity.Id}", created);
    }

    private static async Task<IResult> RevokeAsync(string kind, string id, IdentityRegistry identities, CancellationToken cancellationToken) =>
        await identities.RevokeAsync(id, kind, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"No such {kind}", $"No active {kind} has the id '{id}' (it may have been revoked already).");
}
