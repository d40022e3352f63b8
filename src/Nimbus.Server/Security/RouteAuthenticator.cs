using Microsoft.AspNetCore.Http;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Core.Security;
using Nimbus.Core.Security.Jwt;

namespace Nimbus.Server.Security;

/// <summary>
/// Checks the caller of an HTTP route that declares <c>auth:</c>. <c>nimbus</c>: a bearer token with the invoke
/// permission on the route's function; <c>jwt</c>: a bearer RS256 JWT from the configured issuer and audience. Failed
/// attempts count towards the same per-address limit as the API's.
/// </summary>
public sealed class RouteAuthenticator(IdentityRegistry identities, JwksCache keys, FailedAuthenticationLimiter limiter, TimeProvider time)
{
    /// <returns>Null when the caller may proceed, else the status to answer (401, 403 or 429).</returns>
    public async Task<int?> CheckAsync(HttpContext context, RouteMatch match)
    {
        if (match.Auth is not { } auth)
        {
            return null;
        }

        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = time.GetUtcNow();
        if (limiter.BlockedUntil(source, now) is not null)
        {
            return StatusCodes.Status429TooManyRequests;
        }

        var header = context.Request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return StatusCodes.Status401Unauthorized;
        }

        var bearer = header["Bearer ".Length..].Trim();
        if (auth.Type == RouteAuth.NimbusType)
        {
            if (identities.FindToken(bearer) is not { } principal)
            {
                return Fail(context, source, now);
            }

            CallerPrincipal.Set(context, principal);
            return AccessCheck.Decide(principal, Permissions.Invoke, match.FunctionName).IsAllowed ? null : StatusCodes.Status403Forbidden;
        }

        var (set, _) = await keys.GetAsync(auth, refresh: false, context.RequestAborted).ConfigureAwait(false);
        var verdict = set is null ? null : JwtValidator.Validate(bearer, set, auth.Issuer!, auth.Audience!, now);
        if (verdict is { IsValid: false } && verdict.Error.Contains("key id", StringComparison.Ordinal))
        {
            // The issuer may have rotated its keys since the set was fetched.
            (set, _) = await keys.GetAsync(auth, refresh: true, context.RequestAborted).ConfigureAwait(false);
            verdict = set is null ? null : JwtValidator.Validate(bearer, set, auth.Issuer!, auth.Audience!, now);
        }

        return verdict is { IsValid: true } ? null : Fail(context, source, now);
    }

    private int Fail(HttpContext context, string source, DateTimeOffset now)
    {
        limiter.RecordFailure(source, now);
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return StatusCodes.Status401Unauthorized;
    }
}
