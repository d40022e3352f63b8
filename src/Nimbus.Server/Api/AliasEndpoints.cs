using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;
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

    private static async Task<Results<Ok<AliasInfo>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string name, string alias, AliasRequest? body, INimbusStore store, RoutingState routing, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        if (body is null)
        {
            return ApiProblems.BadRequest("Missing body", "Send {\"version\": \"3\", \"additionalVersionWeights\": {\"4\": 0.1}}");
        }

        var errors = new List<ValidationError>();
        if (!FunctionConfigValidator.IsValidName(alias) || Qualifier.IsVersionNumber(alias, out _) || alias == Qualifier.Latest)
        {
            errors.Add(new("alias", "must be 1-64 letters, digits, '-' or '_', and not a number or $LATEST"));
        }

        if (!Qualifier.IsVersionNumber(body.Version ?? "", out var version))
        {
            errors.Add(new("version", $"'{body.Version}' is not a version number (aliases point at published versions, not $LATEST)"));
        }
        else if (await store.GetVersionAsync(name, version, cancellationToken) is null)
        {
            errors.Add(new("version", $"version {version} of '{name}' does not exist"));
        }

        int? extraVersion = null;
        double weight = 0;
        if (body.AdditionalVersionWeights is { Count: > 0 } weights)
        {
            if (weights.Count > 1)
            {
                errors.Add(new("additionalVersionWeights", "may name one additional version only"));
            }

            var (key, value) = weights.First();
            if (!Qualifier.IsVersionNumber(key, out var extra))
            {
                errors.Add(new("additionalVersionWeights", $"'{key}' is not a version number"));
            }
            else if (await store.GetVersionAsync(name, extra, cancellationToken) is null)
            {
                errors.Add(new("additionalVersionWeights", $"version {extra} of '{name}' does not exist"));
            }
            else if (extra == version)
            {
                errors.Add(new("additionalVersionWeights", "must name a version other than the alias's main version"));
            }
            else
            {
                extraVersion = extra;
            }

            if (double.IsNaN(value) || value < 0 || value >= 1)
            {
                errors.Add(new("additionalVersionWeights", string.Create(CultureInfo.InvariantCulture, $"weight must be at least 0 and less than 1, was {value}")));
            }

            weight = value;
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var saved = await store.UpsertAliasAsync(new AliasRecord(name, alias, version, extraVersion, extraVersion is null ? 0 : weight, body.Description, time.GetUtcNow()), cancellationToken);
        await routing.ReloadAsync(cancellationToken);
        return TypedResults.Ok(AliasInfo.From(saved));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, string alias, INimbusStore store, RoutingState routing, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAliasAsync(name, alias, cancellationToken))
        {
            return ApiProblems.NotFound("Alias not found", $"Alias not found: {name}:{alias}");
        }

        await routing.ReloadAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
