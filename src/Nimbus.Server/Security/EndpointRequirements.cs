using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Security;

namespace Nimbus.Server.Security;

/// <summary>
/// The <see cref="RouteRequirement"/> of an endpoint: its own metadata when it carries one, else the
/// <see cref="ApiPermissions"/> entry for its method and route template (a route in neither needs admin).
/// </summary>
public static class EndpointRequirements
{
    private static readonly ConcurrentDictionary<Endpoint, RouteRequirement> s_cache = new();

    public static RouteRequirement Of(Endpoint endpoint) => s_cache.GetOrAdd(endpoint, static e =>
    {
        if (e.Metadata.GetMetadata<RouteRequirement>() is { } declared)
        {
            return declared;
        }

        var template = (e as RouteEndpoint)?.RoutePattern.RawText ?? "";
        if (!template.StartsWith('/'))
        {
            template = "/" + template;
        }

        var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return ApiPermissions.For(methods is { Count: > 0 } ? methods[0] : null, template);
    });
}
