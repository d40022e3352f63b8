using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>
/// The one path every change of functions, code, versions, aliases and provisioned concurrency takes:
/// validate (the rules of <c>Nimbus.Core.Functions</c>, the same the manifest reader applies) → write (the store,
/// which checks route conflicts atomically with the write and bumps the change signal) → reload routing here at once
/// (other nodes follow within one <see cref="RoutingReconciler"/> poll). The HTTP handlers only parse and render.
/// </summary>
public sealed class ControlPlane
{
    private readonly INimbusStore _store;
    private readonly RoutingState _routing;
    private readonly TimeProvider _time;
    private readonly SqliteQueueStore? _queues;

    public ControlPlane(INimbusStore store, RoutingState routing, TimeProvider time, SqliteQueueStore? queues = null)
    {
        _store = store;
        _routing = routing;
        _time = time;
        _queues = queues;
    }

    /// <summary>Creates the function or replaces its configuration; a route another function serves is a 409.</summary>
    public async Task<ControlResult<FunctionPutResult>> PutFunctionAsync(string name, FunctionConfigRequest? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ControlError.Invalid("Invalid function configuration",
                [new("$", "must be a JSON object with the function configuration ({\"runtime\": \"node\", \"handler\": \"index.handler\", ...}), not null or empty")]);
        }

        var config = body.ToConfig(name);
        var errors = FunctionConfigValidator.Validate(config);
        if (errors.Count == 0 && _queues is not null)
        {
            errors = await Events.Queues.EventSourceChecks.CheckAsync(config, _queues, cancellationToken).ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            return ControlError.Invalid("Invalid function configuration", errors);
        }

        var result = await _store.TryUpsertFunctionConfigAsync(config, cancellationToken).ConfigureAwait(false);
        if (result.Saved is not { } saved)
        {
            return RouteTaken(result.Conflicts);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return new FunctionPutResult(saved, result.Created);
    }

    public async Task<ControlError?> DeleteFunctionAsync(string name, CancellationToken cancellationToken)
    {
        if (!await _store.DeleteFunctionAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return ControlError.FunctionNotFound(name);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Points <c>$LATEST</c> at a package the package store already holds.</summary>
    public async Task<ControlResult<FunctionRecord>> SetCodeAsync(string name, string sha256, long size, CancellationToken cancellationToken)
    {
        await _store.RecordPackageAsync(sha256, size, cancellationToken).ConfigureAwait(false);
        if (await _store.SetFunctionCodeAsync(name, sha256, size, cancellationToken).ConfigureAwait(false) is not { } function)
        {
            return ControlError.FunctionNotFound(name);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return function;
    }

    public async Task<ControlResult<VersionRecord>> PublishVersionAsync(string name, string? description, CancellationToken cancellationToken)
    {
        if (FunctionConfigValidator.CheckDescription(description) is { } descriptionError)
        {
            return ControlError.Invalid("Invalid version", [new("description", descriptionError)]);
        }

        VersionRecord? version;
        try
        {
            version = await _store.PublishVersionAsync(name, description, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return ControlError.Conflict("Nothing to publish", ex.Message);
        }

        if (version is null)
        {
            return ControlError.FunctionNotFound(name);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return version;
    }

    public async Task<ControlResult<AliasRecord>> PutAliasAsync(string name, string alias, AliasRequest? body, CancellationToken cancellationToken)
    {
        if (await _store.GetFunctionAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return ControlError.FunctionNotFound(name);
        }

        if (body is null)
        {
            return ControlError.Invalid("Invalid alias",
                [new("$", "must be a JSON object: {\"version\": \"3\", \"additionalVersionWeights\": {\"4\": 0.1}}, not null or empty")]);
        }

        var versions = (await _store.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false)).Select(v => v.Number).ToHashSet();
        var errors = AliasRules.Validate(name, alias, body.Version, body.AdditionalVersionWeights, body.Description, versions.Contains,
            _time.GetUtcNow(), out var record);
        if (errors.Count > 0)
        {
            return ControlError.Invalid("Invalid alias", errors);
        }

        AliasRecord saved;
        try
        {
            saved = await _store.UpsertAliasAsync(record!, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The function was deleted between the check and the write (versions are never deleted on their own).
            return ControlError.FunctionNotFound(name);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<ControlError?> DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        if (!await _store.DeleteAliasAsync(name, alias, cancellationToken).ConfigureAwait(false))
        {
            return ControlError.NotFound("Alias not found", $"Alias not found: {name}:{alias}");
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    public async Task<ControlResult<ProvisionedConcurrencyRecord>> SetProvisionedConcurrencyAsync(
        string name, string qualifier, ProvisionedConcurrencyRequest? body, CancellationToken cancellationToken)
    {
        if (await _store.GetFunctionAsync(name, cancellationToken).ConfigureAwait(false) is not { } function)
        {
            return ControlError.FunctionNotFound(name);
        }

        // The qualifier is checked against routing: see another node's latest publish or alias first.
        await _routing.RefreshIfChangedAsync(cancellationToken).ConfigureAwait(false);
        var errors = new List<ValidationError>();
        if (body is null || body.Count < 0)
        {
            errors.Add(new("count", "must be 0 or more"));
        }
        else if (function.Config.ReservedConcurrency is { } reserved && body.Count > reserved)
        {
            errors.Add(new("count", $"must not exceed the function's reserved concurrency of {reserved}"));
        }

        if (_routing.Current.Resolve(name, qualifier, 0).Status != ResolveStatus.Found)
        {
            errors.Add(new("qualifier", $"{NameRules.Shown(qualifier)} is not a published version, alias or $LATEST with code"));
        }

        if (errors.Count > 0)
        {
            return ControlError.Invalid("Invalid provisioned concurrency", errors);
        }

        try
        {
            await _store.SetProvisionedConcurrencyAsync(name, qualifier, body!.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return ControlError.FunctionNotFound(name);
        }

        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return new ProvisionedConcurrencyRecord(name, qualifier, body.Count);
    }

    private static ControlError RouteTaken(IReadOnlyList<RouteConflict> conflicts)
    {
        var first = conflicts[0];
        return ControlError.Conflict("Route already taken", string.Join("; ", conflicts.Select(c => $"routes[{c.Index}]: {c.Message}")),
            new Dictionary<string, object?>
            {
                ["route"] = first.RouteKey,
                ["owner"] = first.Owner,
                // Same shape as a 400's errors, so a client that lists field errors shows these too.
                ["errors"] = conflicts.GroupBy(c => $"routes[{c.Index}]").ToDictionary(g => g.Key, g => g.Select(c => c.Message).ToArray()),
                ["conflicts"] = conflicts.Select(c => new Dictionary<string, object?>
                {
                    ["field"] = $"routes[{c.Index}]",
                    ["route"] = c.RouteKey,
                    ["owner"] = c.Owner,
                }).ToArray(),
            });
    }
}
