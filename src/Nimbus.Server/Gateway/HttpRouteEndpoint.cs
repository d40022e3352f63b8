using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Gateway;
using Nimbus.Core.Routing;
using Nimbus.Server.Hosting;
using Nimbus.Server.Invocations;
using Nimbus.Core.Invocations;

namespace Nimbus.Server.Gateway;

/// <summary>
/// HTTP routes declared by functions (<c>GET /orders/{id}</c>): the request becomes an API Gateway HTTP API v2.0 event,
/// and the function's answer (its <c>statusCode</c>/<c>headers</c>/<c>body</c> shape) becomes the HTTP response.
/// Errors answer as API Gateway does: 502 for a failed function, 429 for a throttle, 404/405 for no route.
/// </summary>
public sealed partial class HttpRouteEndpoint
{
    private static readonly byte[] s_internalError = """{"message":"Internal Server Error"}"""u8.ToArray();
    private static readonly byte[] s_tooManyRequests = """{"message":"Too Many Requests"}"""u8.ToArray();
    private static readonly byte[] s_notFound = """{"message":"Not Found"}"""u8.ToArray();
    private static readonly byte[] s_methodNotAllowed = """{"message":"Method Not Allowed"}"""u8.ToArray();
    private static readonly byte[] s_tooLarge = """{"message":"Request Entity Too Large"}"""u8.ToArray();
    private static readonly byte[] s_unavailable = """{"message":"Service Unavailable"}"""u8.ToArray();
    private static readonly byte[] s_loopDetected = """{"message":"Recursive invocation dropped"}"""u8.ToArray();

    private static readonly byte[] s_unauthorized = """{"message":"Unauthorized"}"""u8.ToArray();
    private static readonly byte[] s_forbidden = """{"message":"Forbidden"}"""u8.ToArray();

    private readonly RoutingState _routing;
    private readonly Security.RouteAuthenticator _routeAuth;
    private readonly Invoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger<HttpRouteEndpoint> _logger;
    private readonly int _maxPayloadBytes;

    public HttpRouteEndpoint(RoutingState routing, Invoker invoker, NimbusServerOptions options, ILogger<HttpRouteEndpoint> logger,
        Security.RouteAuthenticator routeAuth)
    {
        _routeAuth = routeAuth;
        _routing = routing;
        _invoker = invoker;
        _time = options.TimeProvider;
        _logger = logger;
        _maxPayloadBytes = options.MaxPayloadBytes;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawPath = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { } target ? StripQuery(target) : request.Path.Value ?? "/";
        var snapshot = _routing.Current;
        // ANY means the methods a route can declare (API Gateway's seven): CONNECT, TRACE and the like reach no function.
        if (!IsRouteMethod(request.Method) || !snapshot.Routes.TryMatch(request.Method, rawPath, out var match))
        {
            var allowed = snapshot.Routes.GetAllowedMethods(rawPath);
            if (allowed.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed);
                await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, s_methodNotAllowed).ConfigureAwait(false);
                return;
            }

            await WriteAsync(context, StatusCodes.Status404NotFound, s_notFound).ConfigureAwait(false);
            return;
        }

        // A route with auth: answers 401/403 as API Gateway's authorizers do, before anything reveals the function's state.
        if (match.Auth is not null && await _routeAuth.CheckAsync(context, match).ConfigureAwait(false) is { } refusal)
        {
            await WriteAsync(context, refusal, refusal switch
            {
                StatusCodes.Status401Unauthorized => s_unauthorized,
                StatusCodes.Status403Forbidden => s_forbidden,
                _ => s_tooManyRequests,
            }).ConfigureAwait(false);
            return;
        }

        var admission = _invoker.Admit(match.FunctionName, match.Qualifier);
        if (!admission.IsAdmitted)
        {
            await WriteRefusalAsync(context, match, admission).ConfigureAwait(false);
            return;
        }

        var body = await PayloadReader.ReadAsync(request, _maxPayloadBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, s_tooLarge).ConfigureAwait(false);
            return;
        }

        var requestId = RequestIds.New();
        var call = new InvocationCall
        {
            Header = name => RequestValues.Header(context.Request, name),
            FunctionName = match.FunctionName,
            Qualifier = match.Qualifier,
            Payload = ApiGatewayV2Event.BuildEvent(ToRequestData(context, rawPath, body), match, requestId),
            Source = InvocationSource.HttpRoute,
            RequestId = requestId,
            TraceParent = RequestValues.Header(request, TraceHeaders.TraceParent),
            TraceState = RequestValues.Header(request, TraceHeaders.TraceState),
            XRayTrace = RequestValues.Header(request, TraceHeaders.XRay),
        };
        var answer = await _invoker.InvokeAsync(admission, call, context.RequestAborted).ConfigureAwait(false);
        if (answer.Result is not { } result)
        {
            await WriteRefusalAsync(context, match, answer).ConfigureAwait(false);
            return;
        }

        context.Response.Headers["apigw-requestid"] = requestId;
        if (result.Outcome == Core.Invocations.InvocationOutcome.Throttled)
        {
            await WriteAsync(context, StatusCodes.Status429TooManyRequests, s_tooManyRequests).ConfigureAwait(false);
            return;
        }

        if (result.IsFunctionError)
        {
            Log.FunctionFailed(_logger, match.RouteKey, result.RequestId, result.ErrorType);
            await WriteAsync(context, InvokeOutcomeMapper.IsResponseTooLarge(result) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status502BadGateway,
                InvokeOutcomeMapper.IsResponseTooLarge(result) ? s_tooLarge : s_internalError).ConfigureAwait(false);
            return;
        }

        var mapped = ApiGatewayV2Response.ParseResponse(result.Body.Span);
        if (mapped.Error is { } error)
        {
            Log.BadFunctionResponse(_logger, match.RouteKey, result.RequestId, error);
        }
        else if (mapped.StatusCode < 200)
        {
            // 1xx are interim answers the server sends itself: as the final response they would leave the client waiting.
            Log.BadFunctionResponse(_logger, match.RouteKey, result.RequestId, "statusCode is an interim (1xx) status, not a response");
            await WriteAsync(context, StatusCodes.Status502BadGateway, s_internalError).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = mapped.StatusCode;
        foreach (var (name, value) in mapped.Headers)
        {
            // Framing is the gateway's business: a function's content-length or transfer-encoding would corrupt the answer.
            if (!IsHopByHop(name))
            {
                response.Headers.Append(name, value);
            }
        }

        foreach (var cookie in mapped.Cookies)
        {
            response.Headers.Append("Set-Cookie", cookie);
        }

        if (mapped.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified)
        {
            return; // these statuses have no body (RFC 9110): a function's body for them is dropped, not a 500
        }

        response.ContentLength = mapped.Body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(mapped.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task WriteRefusalAsync(HttpContext context, RouteMatch match, InvokeAnswer answer)
    {
        if (answer.Admission == AdmissionStatus.NotAccepting)
        {
            return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, s_unavailable);
        }

        if (answer.Admission == AdmissionStatus.RecursiveInvocationDropped)
        {
            return WriteAsync(context, StatusCodes.Status508LoopDetected, s_loopDetected);
        }

        // The caller did nothing wrong: the route's function is missing or has no code, as a broken integration in API Gateway.
        Log.RouteTargetMissing(_logger, match.RouteKey, answer.Detail);
        return WriteAsync(context, StatusCodes.Status502BadGateway, s_internalError);
    }

    private static bool IsRouteMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)
        || HttpMethods.IsPatch(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool IsHopByHop(string name) =>
        name.Equals("content-length", StringComparison.OrdinalIgnoreCase) || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase);

    private HttpRequestData ToRequestData(HttpContext context, string rawPath, byte[] body)
    {
        var request = context.Request;
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        return new HttpRequestData(request.Method, rawPath, query, headers, body,
            context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1", _time.GetUtcNow(), request.Protocol, request.Host.Value ?? "localhost");
    }

    private static string StripQuery(string rawTarget)
    {
        var q = rawTarget.IndexOf('?');
        return q < 0 ? rawTarget : rawTarget[..q];
    }

    private static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning, "Route {RouteKey} points at a function that cannot be invoked: {Reason}")]
        public static partial void RouteTargetMissing(ILogger logger, string routeKey, string reason);

        [LoggerMessage(5002, LogLevel.Information, "Route {RouteKey} request {RequestId} failed: {ErrorType}")]
        public static partial void FunctionFailed(ILogger logger, string routeKey, string requestId, string? errorType);

        [LoggerMessage(5003, LogLevel.Warning, "Route {RouteKey} request {RequestId}: unusable function response: {Reason}")]
        public static partial void BadFunctionResponse(ILogger logger, string routeKey, string requestId, string reason);
    }
}
