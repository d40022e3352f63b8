using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Api;

/// <summary>
/// Answers 405 with an <c>Allow</c> header for a known API path asked with a method it does not serve. Without it
/// the request falls through to the gateway's HTTP routes and gets a misleading 404.
/// </summary>
public static class MethodNotAllowed
{
    /// <summary>Maps, for <paramref name="pattern"/>, a catch-all of lower precedence than the real endpoints.</summary>
    public static void Map(IEndpointRouteBuilder api, string pattern, params string[] allowed)
    {
        var allow = string.Join(", ", allowed);
        // Order 1: a request whose method matches one of the real endpoints (order 0) still goes there; the
        // gateway's fallback has the lowest precedence of all, so this one wins over it.
        api.Map(pattern, (HttpContext context) =>
            {
                context.Response.Headers.Allow = allow;
                return Problems.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                    $"{context.Request.Method} is not allowed on {context.Request.Path}; allowed: {allow}",
                    new Dictionary<string, object?> { ["allow"] = allowed });
            })
            .WithOrder(1);
    }
}
