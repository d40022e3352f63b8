using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>
/// Finds routes that two functions would both serve. Two routes clash when they have the same method and the same
/// template shape (<c>/orders/{id}</c> and <c>/orders/{orderId}</c> match exactly the same requests); a route of
/// another method, or one that differs only in specificity, does not clash (the more specific wins at match time).
/// </summary>
public static class RouteConflicts
{
    /// <summary>The normalised key two clashing routes share, or null when the route is not a valid template.</summary>
    public static string? KeyOf(HttpRouteConfig? route) =>
        route?.Method is { } method && RouteTemplate.TryParse(route.Path, out var template, out _)
            ? $"{method.ToUpperInvariant()} {template.Shape}"
            : null;

    /// <summary>The routes of <paramref name="config"/> that one of <paramref name="others"/> already serves.</summary>
    /// <param name="others">Every other stored function; an entry named like <paramref name="config"/> is ignored.</param>
    public static IReadOnlyList<RouteConflict> Find(FunctionConfig config, IEnumerable<FunctionConfig> others)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(others);
        var conflicts = new List<RouteConflict>();
        if (config.Routes is not { Count: > 0 } routes)
        {
            return conflicts;
        }

        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var other in others)
        {
            if (other.Name == config.Name || other.Routes is null)
            {
                continue;
            }

            foreach (var route in other.Routes)
            {
                if (KeyOf(route) is { } key)
                {
                    taken.TryAdd(key, other.Name);
                }
            }
        }

        for (var i = 0; i < routes.Count; i++)
        {
            if (KeyOf(routes[i]) is { } key && taken.TryGetValue(key, out var owner))
            {
                conflicts.Add(new RouteConflict(i, routes[i], $"{routes[i].Method} {routes[i].Path}", owner));
            }
        }

        return conflicts;
    }
}
