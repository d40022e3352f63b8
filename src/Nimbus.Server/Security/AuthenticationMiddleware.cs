using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Security;
using Nimbus.Core.Security.SigV4;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security;

/// <summary>
/// The front door of every endpoint that is not public: limits failed attempts per address (429), authenticates
/// (401, with <c>WWW-Authenticate</c>), checks the endpoint's permission against the principal's role and function
/// scope (403 naming the missing permission), sets <see cref="CallerPrincipal"/>, and audits management actions and
/// refusals. Lambda's API answers in Lambda's error shapes, so the AWS SDKs report them as they would against AWS.
/// </summary>
public sealed class AuthenticationMiddleware(
    RequestDelegate next,
    RequestAuthenticator authenticator,
    FailedAuthenticationLimiter limiter,
    SqliteAuditLog audit,
    NimbusServerOptions options,
    Runtime.RuntimePortPool ports,
    Runtime.Dispatcher dispatcher)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var requirement = EndpointRequirements.Of(endpoint);
        if (requirement.IsPublic)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var lambdaApi = endpoint.Metadata.GetMetadata<LambdaApiEndpoint>() is not null;
        var source = SourceOf(context);
        var now = options.TimeProvider.GetUtcNow();
        var function = FunctionOf(context);
        var action = requirement.Permission ?? "authenticate";

        if (limiter.BlockedUntil(source, now) is { } until)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteTooManyAsync(context, lambdaApi).ConfigureAwait(false);
            await AuditAsync(context, null, action, function, source, AuditOutcomes.Unauthenticated, "too many failed authentications").ConfigureAwait(false);
            return;
        }

        byte[] body = [];
        if (RequestAuthenticator.IsSigned(context.Request))
        {
            // The signature covers the body's hash: read it once here, and hand the endpoint the same bytes.
            if (await PayloadReader.ReadAsync(context.Request, options.MaxPayloadBytes, context.RequestAborted).ConfigureAwait(false) is not { } read)
            {
                await (lambdaApi
                    ? LambdaErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, LambdaErrors.RequestTooLarge,
                        $"Request must be smaller than {options.MaxPayloadBytes} bytes for the InvokeFunction operation")
                    : Problems.PayloadTooLargeAsync(context, options.MaxPayloadBytes)).ConfigureAwait(false);
                return;
            }

            body = read;
            context.Request.Body = new MemoryStream(body, writable: false);
            context.Request.ContentLength = body.Length;
        }

        var result = authenticator.Authenticate(context.Request, body);
        if (result.Failure == AuthenticationFailure.Missing && InstanceOnItsRuntimePort(context) is { } instance)
        {
            // An unsigned call on an instance's own runtime port (AWS_ENDPOINT_URL_LAMBDA, curl from a bootstrap): the
            // port is bound to that one instance and WorkerConnectionVerifier serves only its own process tree, so the
            // caller is that instance's function, exactly as if it had signed with its credentials.
            result = AuthenticationResult.Success(new Principal(PrincipalKind.Function, $"instance:{instance.Id}", Roles.Function,
                FunctionName: instance.Target.FunctionName));
        }

        if (result.Principal is not { } principal)
        {
            if (result.Failure == AuthenticationFailure.Invalid)
            {
                limiter.RecordFailure(source, now);
            }

            await WriteUnauthenticatedAsync(context, result, lambdaApi).ConfigureAwait(false);
            if (result.Failure == AuthenticationFailure.Invalid || IsMutating(context.Request.Method))
            {
                await AuditAsync(context, null, action, function, source, AuditOutcomes.Unauthenticated, result.Message).ConfigureAwait(false);
            }

            return;
        }

        CallerPrincipal.Set(context, principal);
        if (requirement.Permission is { } permission)
        {
            var decision = AccessCheck.Decide(principal, permission, function);
            if (!decision.IsAllowed)
            {
                await WriteForbiddenAsync(context, decision, lambdaApi).ConfigureAwait(false);
                await AuditAsync(context, principal, permission, function, source, AuditOutcomes.Denied, decision.Reason).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);

        // Invocations are the data path, not management: their record is the invocation log. The outcome is the
        // authorization's; the status tells whether the action then succeeded (a 404 of an unknown name, say).
        if (IsMutating(context.Request.Method) && requirement.Permission != Permissions.Invoke)
        {
            await AuditAsync(context, principal, action, function, source, AuditOutcomes.Allowed, null).ConfigureAwait(false);
        }
    }

    private Runtime.Instance? InstanceOnItsRuntimePort(HttpContext context) =>
        ports.IsRuntimePort(context.Connection.LocalPort) ? dispatcher.GetInstanceByPort(context.Connection.LocalPort) : null;

    private static bool IsMutating(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);

    private static string SourceOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The function the route names (its <c>{name}</c>, a qualifier or ARN stripped), or null.</summary>
    private static string? FunctionOf(HttpContext context) =>
        context.GetRouteValue("name") is string text && !NamesSomethingElse(context.Request.Path)
            ? LambdaFunctionName.TryParse(text, out var name, out _, out _) ? name : text
            : null;

    /// <summary>Routes whose <c>{name}</c> is an alarm, a queue or a secret, not a function.</summary>
    private static bool NamesSomethingElse(PathString path) =>
        path.StartsWithSegments("/api/v1/alarms") || path.StartsWithSegments("/api/v1/queues") || path.StartsWithSegments("/api/v1/secrets");

    private Task AuditAsync(HttpContext context, Principal? principal, string action, string? function, string source, string outcome, string? detail) =>
        audit.AppendAsync(new AuditRecord(0, options.TimeProvider.GetUtcNow(), principal?.Id, principal?.Role, action,
            $"{context.Request.Method} {context.Request.Path}", function, source, outcome, context.Response.StatusCode, detail), CancellationToken.None);

    private static Task WriteUnauthenticatedAsync(HttpContext context, AuthenticationResult result, bool lambdaApi)
    {
        if (lambdaApi)
        {
            var (status, type) = result.SigV4Status switch
            {
                SigV4Status.Missing or null when result.Failure == AuthenticationFailure.Missing => (StatusCodes.Status403Forbidden, LambdaErrors.MissingAuthenticationToken),
                SigV4Status.Malformed => (StatusCodes.Status400BadRequest, LambdaErrors.IncompleteSignature),
                SigV4Status.UnknownAccessKey or null => (StatusCodes.Status403Forbidden, LambdaErrors.UnrecognizedClient),
                _ => (StatusCodes.Status403Forbidden, LambdaErrors.InvalidSignature),
            };
            return LambdaErrors.WriteAsync(context, status, type, result.Failure == AuthenticationFailure.Missing ? "Missing Authentication Token" : result.Message);
        }

        context.Response.Headers.WWWAuthenticate = result.Failure == AuthenticationFailure.Missing
            ? "Bearer realm=\"nimbus\""
            : "Bearer realm=\"nimbus\", error=\"invalid_token\"";
        return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized,
            result.Failure == AuthenticationFailure.Missing ? "Authentication required" : "Authentication failed", result.Message);
    }

    private static Task WriteForbiddenAsync(HttpContext context, AccessDecision decision, bool lambdaApi) => lambdaApi
        ? LambdaErrors.WriteAsync(context, StatusCodes.Status403Forbidden, LambdaErrors.AccessDenied,
            $"Not authorized to perform {decision.Permission}: {decision.Reason}.")
        : Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"Not allowed: {decision.Reason}.",
            new Dictionary<string, object?> { ["permission"] = decision.Permission });

    private static Task WriteTooManyAsync(HttpContext context, bool lambdaApi) => lambdaApi
        ? LambdaErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, LambdaErrors.TooManyRequests,
            "Too many failed authentications from this address; try again later.")
        : Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
            "This address failed to authenticate too often; try again after the time in Retry-After.");
}
