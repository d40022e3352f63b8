using System.Globalization;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Compares the manifest with what is deployed: which functions a deploy creates or updates, which settings change
/// (old → new), whether the package digest changes, where the alias would point. Pure: the caller reads the server's
/// state and computes the package digests the way deploy does.
/// </summary>
public static class PlanDiff
{
    /// <param name="desired">The functions this deploy applies (the whole manifest, or the one of <c>--function</c>).</param>
    /// <param name="deployed">Every function on the server; the manifest's own with their versions, aliases and provisioned settings.</param>
    /// <param name="manifestFunctions">Names of every function the manifest declares, so unmanaged ones can be listed.</param>
    public static ManifestPlan Compute(
        IReadOnlyList<PlannedFunction> desired, IReadOnlyList<DeployedFunction> deployed, IReadOnlyCollection<string> manifestFunctions)
    {
        var byName = deployed.ToDictionary(d => d.Function.Name, StringComparer.Ordinal);
        var plans = desired.Select(d => PlanFunction(d, byName.GetValueOrDefault(d.Manifest.Config.Name))).ToList();
        var unmanaged = deployed.Select(d => d.Function.Name)
            .Where(name => !manifestFunctions.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new ManifestPlan(plans, unmanaged, FindConflicts([.. desired.Select(d => d.Manifest)], deployed));
    }

    /// <summary>
    /// Routes the manifest declares that a deployed function outside this deploy already serves (the same method
    /// and path shape): the server would refuse that function's configuration after the ones before it were applied.
    /// </summary>
    public static IReadOnlyList<ManifestError> FindConflicts(IReadOnlyList<FunctionManifest> desired, IReadOnlyList<DeployedFunction> deployed)
    {
        var applied = desired.Select(f => f.Config.Name).ToHashSet(StringComparer.Ordinal);
        var taken = new Dictionary<string, (string Function, HttpRouteConfig Route)>(StringComparer.Ordinal);
        foreach (var other in deployed.Where(d => !applied.Contains(d.Function.Name)))
        {
            foreach (var route in other.Function.Routes)
            {
                if (RouteConflicts.KeyOf(route) is { } key)
                {
                    taken.TryAdd(key, (other.Function.Name, route));
                }
            }
        }

        var errors = new List<ManifestError>();
        foreach (var function in desired)
        {
            for (var i = 0; i < function.Config.Routes.Count; i++)
            {
                var route = function.Config.Routes[i];
                if (RouteConflicts.KeyOf(route) is { } key && taken.TryGetValue(key, out var holder))
                {
                    var same = holder.Route.Path == route.Path ? "" : $" (as '{holder.Route.Method} {holder.Route.Path}', which matches the same requests)";
                    errors.Add(new ManifestError(
                        $"functions.{function.Config.Name}.routes[{i}]",
                        $"route '{route.Method} {route.Path}' is already served by deployed function '{holder.Function}'{same}, " +
                        "which this deploy does not change; remove the route there first",
                        function.LineOf($"routes[{i}]")));
                }
            }
        }

        return errors;
    }

    /// <summary>Setting by setting, what <paramref name="to"/> changes in <paramref name="from"/> (every setting when there is none).</summary>
    public static IReadOnlyList<FieldChange> ConfigChanges(FunctionConfig? from, FunctionConfig to)
    {
        var changes = new List<FieldChange>();
        void Compare(string field, string? old, string? @new)
        {
            if (old != @new)
            {
                changes.Add(new FieldChange(field, old, @new));
            }
        }

        Compare("runtime", from?.Runtime, to.Runtime);
        Compare("handler", Blank(from?.Handler), Blank(to.Handler));
        Compare("memory", from is null ? null : Mb(from.MemoryMb), Mb(to.MemoryMb));
        if (from is not null || to.EphemeralStorageMb is not null)
        {
            // A new function lists it only when set: Lambda's 512 MB default is not news.
            Compare("ephemeralStorage", from is null ? null : Mb(from.EffectiveEphemeralStorageMb), Mb(to.EffectiveEphemeralStorageMb));
        }

        Compare("timeout", from is null ? null : Seconds(from.TimeoutSeconds), Seconds(to.TimeoutSeconds));
        Compare("description", from?.Description, to.Description);
        Compare("reservedConcurrency", Integer(from?.ReservedConcurrency), Integer(to.ReservedConcurrency));
        if (from is not null || to.ConcurrencyPerInstance is not null)
        {
            // A new function lists it only when set: one invocation per instance is the default.
            Compare("concurrencyPerInstance", from is null ? null : Integer(from.EffectiveConcurrencyPerInstance), Integer(to.EffectiveConcurrencyPerInstance));
        }
        Compare("recursiveLoop", (from?.RecursiveLoop ?? Tracing.RecursiveLoop.Terminate).ToString(), (to.RecursiveLoop ?? Tracing.RecursiveLoop.Terminate).ToString());

        var oldEnvironment = from?.Environment ?? new Dictionary<string, string>();
        foreach (var name in oldEnvironment.Keys.Union(to.Environment.Keys).Order(StringComparer.Ordinal))
        {
            Compare($"environment.{name}", oldEnvironment.GetValueOrDefault(name), to.Environment.GetValueOrDefault(name));
        }

        var oldRoutes = (from?.Routes ?? []).Select(RouteText).ToHashSet(StringComparer.Ordinal);
        var newRoutes = to.Routes.Select(RouteText).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(oldRoutes.Except(newRoutes).Order(StringComparer.Ordinal).Select(r => new FieldChange("routes", r, null)));
        changes.AddRange(newRoutes.Except(oldRoutes).Order(StringComparer.Ordinal).Select(r => new FieldChange("routes", null, r)));

        var oldPolicy = (from?.Policy ?? []).Select(s => s.ToString()).ToHashSet(StringComparer.Ordinal);
        var newPolicy = (to.Policy ?? []).Select(s => s.ToString()).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(oldPolicy.Except(newPolicy).Order(StringComparer.Ordinal).Select(s => new FieldChange("policy", s, null)));
        changes.AddRange(newPolicy.Except(oldPolicy).Order(StringComparer.Ordinal).Select(s => new FieldChange("policy", null, s)));
        changes.AddRange(MonitoringDiff.Changes(from, to));
        changes.AddRange(DeliveryDiff.Changes(from, to));
        Compare("schedules", SchedulesText(from?.Schedules), SchedulesText(to.Schedules));
        Compare("sources", SourcesText(from?.Sources), SourcesText(to.Sources));
        return changes;
    }

    private static FunctionPlan PlanFunction(PlannedFunction desired, DeployedFunction? deployed)
    {
        var manifest = desired.Manifest;
        var config = manifest.DeployConfig();
        var current = deployed is null ? null : ToConfig(deployed.Function);
        var changes = ConfigChanges(current, config).ToList();
        var code = deployed?.Function.CodeSha256 == desired.CodeSha256 ? null : new CodeChange(deployed?.Function.CodeSha256, desired.CodeSha256);
        var alias = manifest.Alias is { } aliasName ? PlanAlias(aliasName, config, desired.CodeSha256, deployed) : null;
        if (alias is { Action: AliasAction.Move } && manifest.Deployment is { } deployment)
        {
            // Deploy starts a deployment instead of moving an existing alias (ManifestDeployer): say by which strategy.
            alias = alias with { Strategy = deployment.Strategy.DisplayName };
        }

        if (manifest.ProvisionedConcurrency is { } count)
        {
            var qualifier = manifest.Alias ?? Qualifier.Latest;
            var now = deployed?.Provisioned.FirstOrDefault(p => p.Qualifier == qualifier)?.Count;
            if (now != count)
            {
                changes.Add(new FieldChange($"provisionedConcurrency[{qualifier}]", Integer(now), Integer(count)));
            }
        }

        var action = deployed is null ? PlanAction.Create
            : code is not null || changes.Count > 0 || alias is { Action: not AliasAction.Unchanged } ? PlanAction.Update
            : PlanAction.Unchanged;
        return new FunctionPlan(manifest.Config.Name, action, code, changes, alias);
    }

    /// <summary>
    /// Deploy publishes <c>$LATEST</c> and points the alias at the result. Publishing returns the newest version when its
    /// code and configuration are those of <c>$LATEST</c> (as Lambda does), else creates the next one.
    /// </summary>
    private static AliasPlan PlanAlias(string alias, FunctionConfig config, string codeSha256, DeployedFunction? deployed)
    {
        var newest = deployed?.Versions.MaxBy(v => v.Version);
        var reuse = newest is not null && newest.CodeSha256 == codeSha256 && ConfigChanges(newest.Config, config).Count == 0;
        var target = reuse ? newest!.Version : (newest?.Version ?? 0) + 1;
        var current = deployed?.Aliases.FirstOrDefault(a => a.Name == alias);
        var weights = current?.AdditionalVersionWeights ?? new Dictionary<string, double>();
        var action = current is null ? AliasAction.Create
            : current.Version == target && weights.Count == 0 ? AliasAction.Unchanged
            : AliasAction.Move;
        return new AliasPlan(alias, action, current?.Version, weights, target, !reuse);
    }

    private static FunctionConfig ToConfig(FunctionInfo info) => new()
    {
        Name = info.Name,
        Runtime = info.Runtime,
        Handler = info.Handler,
        MemoryMb = info.MemoryMb,
        TimeoutSeconds = info.TimeoutSeconds,
        Environment = info.Environment,
        ReservedConcurrency = info.ReservedConcurrency,
        Description = info.Description,
        Routes = info.Routes,
        RecursiveLoop = info.RecursiveLoop,
        EphemeralStorageMb = info.EphemeralStorage == FunctionConfig.DefaultEphemeralStorageMb ? null : info.EphemeralStorage,
        ConcurrencyPerInstance = info.ConcurrencyPerInstance == 1 ? null : info.ConcurrencyPerInstance,
        Policy = info.Policy,
        Alarms = info.Alarms,
        DefaultAlarms = info.DefaultAlarms,
        Slos = info.Slos,
        DefaultSlo = info.DefaultSlo,
        Schedules = info.Schedules,
        Sources = info.Sources,
        Async = info.Async,
        Idempotency = info.Idempotency,
    };

    private static string? SchedulesText(IReadOnlyList<Schedules.ScheduleConfig>? schedules) =>
        schedules is not { Count: > 0 } ? null : string.Join("; ", schedules.Select(s =>
            $"{s.Expression}{(s.Timezone is null ? "" : $" {s.Timezone}")}{(s.Enabled ? "" : " disabled")}{(s.Missed is null ? "" : $" missed={s.Missed}")}{(s.Input is null ? "" : $" input={s.Input}")}"));

    private static string? SourcesText(IReadOnlyList<Queues.EventSourceConfig>? sources) =>
        sources is not { Count: > 0 } ? null : string.Join("; ", sources.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Queue} batch {s.BatchSize} window {s.MaximumBatchingWindowInSeconds}s concurrency {s.EffectiveMaximumConcurrency}{(s.ReportBatchItemFailures ? " reportBatchItemFailures" : "")}{(s.Enabled ? "" : " disabled")}")));

    private static string RouteText(HttpRouteConfig route) => $"{route.Method} {route.Path} -> {route.Qualifier ?? Qualifier.Latest}";

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Mb(int mb) => mb.ToString(CultureInfo.InvariantCulture) + " MB";

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string? Integer(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
