using Nimbus.Core.Routing;

namespace Nimbus.Core.Functions;

/// <summary>
/// The HTTP routes a function may declare. Depth and length are bounded so that no declared route can make the
/// routing build or a match expensive.
/// </summary>
public static class RouteRules
{
    /// <summary>Most path segments of a route template.</summary>
    public const int MaxSegments = 64;

    /// <summary>Most characters of a route template.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Most routes of one function.</summary>
    public const int MaxRoutes = 256;

    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

    /// <summary>Checks each route; errors name <c>{field}[i]</c>, <c>{field}[i].method</c>, <c>.path</c> or <c>.qualifier</c>.</summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyList<HttpRouteConfig?>? routes, string field = "routes")
    {
        var errors = new List<ValidationError>();
        if (routes is null)
        {
            return errors;
        }

        if (routes.Count > MaxRoutes)
        {
            errors.Add(new(field, $"has {routes.Count} routes; at most {MaxRoutes} are allowed"));
            return errors;
        }

        for (var i = 0; i < routes.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (routes[i] is not { } route)
            {
                errors.Add(new(at, "must be a route object {\"method\": \"GET\", \"path\": \"/...\"}, not null"));
                continue;
            }

            if (route.Method is null || !Methods.Contains(route.Method))
            {
                errors.Add(new($"{at}.method", $"{NameRules.Shown(route.Method)} is not one of {string.Join(", ", Methods)}"));
            }

            if (CheckPath(route.Path) is { } pathError)
            {
                errors.Add(new($"{at}.path", pathError));
            }

            if (route.Qualifier is not null && !NameRules.IsValidQualifier(route.Qualifier))
            {
                errors.Add(new($"{at}.qualifier", $"must be $LATEST, a version number or an alias name, was {NameRules.Shown(route.Qualifier)}"));
            }

            if (route.Auth is { } auth)
            {
                errors.AddRange(auth.Check($"{at}.auth"));
            }
        }

        return errors;
    }

    /// <summary>Null when the path is a valid, servable template within the limits; else what is wrong.</summary>
    public static string? CheckPath(string? path)
    {
        if (path is null)
        {
            return "is required, not null";
        }

        if (path.Length > MaxPathLength)
        {
            return $"is {path.Length} characters long; at most {MaxPathLength} are allowed";
        }

        // Counted before parsing, so a deep path is refused without building its segments.
        var segments = path.AsSpan().Count('/');
        if (segments > MaxSegments + (path.EndsWith('/') ? 1 : 0))
        {
            return $"has {segments} segments; at most {MaxSegments} are allowed";
        }

        if (!RouteTemplate.TryParse(path, out _, out var error))
        {
            return error;
        }

        if (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/2015-03-31/", StringComparison.Ordinal))
        {
            return "must not start with '/api/' or '/2015-03-31/' (reserved for the platform)";
        }

        if (path is "/metrics" or "/metrics/")
        {
            return "'/metrics' is reserved for the platform's Prometheus endpoint";
        }

        return null;
    }
}
