using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>
/// An immutable view of every function, version, alias and route. The gateway reads the current snapshot without
/// locks; every change builds a new one and swaps it in with one reference assignment.
/// </summary>
public sealed class RoutingSnapshot
{
    private readonly Dictionary<string, FunctionRouting> _functions;

    private RoutingSnapshot(long generation, Dictionary<string, FunctionRouting> functions, RouteTable routes, IReadOnlyList<ProvisionedTarget> provisioned)
    {
        Generation = generation;
        _functions = functions;
        Routes = routes;
        Provisioned = provisioned;
    }

    public static RoutingSnapshot Empty { get; } = Build(0, [], [], [], []);

    public long Generation { get; }
    public RouteTable Routes { get; }
    public IReadOnlyList<ProvisionedTarget> Provisioned { get; }
    public IEnumerable<FunctionRouting> Functions => _functions.Values;

    public static RoutingSnapshot Build(
        long generation,
        IEnumerable<FunctionRecord> functions,
        IEnumerable<VersionRecord> versions,
        IEnumerable<AliasRecord> aliases,
        IEnumerable<ProvisionedConcurrencyRecord> provisioned)
    {
        var versionsByFunction = versions.GroupBy(v => v.FunctionName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<int, ExecutionTarget>)g.ToDictionary(v => v.Number, ExecutionTarget.ForVersion), StringComparer.Ordinal);
        var aliasesByFunction = aliases.GroupBy(a => a.FunctionName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, AliasRecord>)g.ToDictionary(a => a.Name, StringComparer.Ordinal), StringComparer.Ordinal);

        var map = new Dictionary<string, FunctionRouting>(StringComparer.Ordinal);
        var bindings = new List<RouteBinding>();
        foreach (var function in functions)
        {
            map[function.Name] = new FunctionRouting(
                function,
                ExecutionTarget.ForLatest(function),
                versionsByFunction.GetValueOrDefault(function.Name) ?? new Dictionary<int, ExecutionTarget>(),
                aliasesByFunction.GetValueOrDefault(function.Name) ?? new Dictionary<string, AliasRecord>(StringComparer.Ordinal));
            foreach (var route in function.Config.Routes)
            {
                bindings.Add(new RouteBinding(function.Name, route));
            }
        }

        var snapshot = new RoutingSnapshot(generation, map, RouteTable.Build(bindings), []);
        return new RoutingSnapshot(generation, map, snapshot.Routes, ResolveProvisioned(snapshot, provisioned));
    }

    public FunctionRouting? GetFunction(string name) => _functions.GetValueOrDefault(name);

    /// <summary>Resolves <paramref name="qualifier"/> (null, <c>$LATEST</c>, a version number or an alias) to a target.</summary>
    /// <param name="sample">A uniform random number in [0, 1) that picks between an alias's two versions.</param>
    public ResolveResult Resolve(string functionName, string? qualifier, double sample)
    {
        if (!_functions.TryGetValue(functionName, out var function))
        {
            return new(ResolveStatus.FunctionNotFound, null, null, $"Function not found: {functionName}");
        }

        if (qualifier is null or Qualifier.Latest)
        {
            return function.Latest is { } latest
                ? ResolveResult.Found(latest, null)
                : new(ResolveStatus.NoCode, null, null, $"Function '{functionName}' has no code yet: upload a package first");
        }

        if (Qualifier.IsVersionNumber(qualifier, out var number))
        {
            return function.Versions.TryGetValue(number, out var version)
                ? ResolveResult.Found(version, null)
                : new(ResolveStatus.QualifierNotFound, null, null, $"Function not found: {functionName}:{qualifier} (no such version)");
        }

        if (function.Aliases.TryGetValue(qualifier, out var alias))
        {
            var chosen = alias.AdditionalVersion is { } extra && sample < alias.AdditionalWeight ? extra : alias.Version;
            return function.Versions.TryGetValue(chosen, out var target)
                ? ResolveResult.Found(target, alias.Name)
                : new(ResolveStatus.QualifierNotFound, null, null, $"Alias '{functionName}:{qualifier}' points at version {chosen}, which does not exist");
        }

        return new(ResolveStatus.QualifierNotFound, null, null, $"Function not found: {functionName}:{qualifier} (no such version or alias)");
    }

    private static List<ProvisionedTarget> ResolveProvisioned(RoutingSnapshot snapshot, IEnumerable<ProvisionedConcurrencyRecord> records)
    {
        var result = new List<ProvisionedTarget>();
        foreach (var record in records)
        {
            if (record.Count <= 0 || snapshot.GetFunction(record.FunctionName) is not { } function)
            {
                continue;
            }

            if (function.Aliases.TryGetValue(record.Qualifier, out var alias))
            {
                // An alias that splits traffic keeps both of its versions warm, the second in proportion to its weight.
                if (function.Versions.TryGetValue(alias.Version, out var main))
                {
                    result.Add(new ProvisionedTarget(main, record.Qualifier, record.Count));
                }

                if (alias.AdditionalVersion is { } extra && alias.AdditionalWeight > 0 && function.Versions.TryGetValue(extra, out var second))
                {
                    result.Add(new ProvisionedTarget(second, record.Qualifier, (int)Math.Ceiling(record.Count * alias.AdditionalWeight)));
                }

                continue;
            }

            var resolved = snapshot.Resolve(record.FunctionName, record.Qualifier, 0);
            if (resolved.Target is { } target)
            {
                result.Add(new ProvisionedTarget(target, record.Qualifier, record.Count));
            }
        }

        return result;
    }
}
