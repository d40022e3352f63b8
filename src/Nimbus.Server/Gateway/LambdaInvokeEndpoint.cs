using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Gateway;
using Nimbus.Core.Security;
using Nimbus.Core.Security.Policy;
using Nimbus.Core.Security.SigV4;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Events;
using Nimbus.Server.Hosting;
using Nimbus.Server.Invocations;
using Nimbus.Server.Runtime;
using Nimbus.Server.Security;

namespace Nimbus.Server.Gateway;

/// <summary>
/// <c>POST /2015-03-31/functions/{name}/invocations</c>: Lambda's Invoke API, so the AWS CLI and SDKs invoke Nimbus
/// functions unchanged (<c>aws lambda invoke --endpoint-url http://127.0.0.1:7700 ...</c>).
/// </summary>
public sealed class LambdaInvokeEndpoint
{
    public const string Pattern = "/2015-03-31/functions/{name}/invocations";

    private static readonly byte[] s_emptyEvent = "{}"u8.ToArray();

    private readonly Invoker _invoker;
    private readonly NimbusServerOptions _options;
    private readonly AsyncInvocationEntry _events;
    private readonly IAccessGate _gate;
    private readonly ShadowCallers? _shadows;

    public LambdaInvokeEndpoint(Invoker invoker, NimbusServerOptions options, AsyncInvocationEntry events, IAccessGate gate, ShadowCallers? shadows = null)
    {
        _shadows = shadows;
        _gate = gate;
        _invoker = invoker;
        _options = options;
        _events = events;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var endpoint = ActivatorUtilities.CreateInstance<LambdaInvokeEndpoint>(app.ServiceProvider);
        app.MapPost(Pattern, (HttpContext context, string name) => endpoint.HandleAsync(context, name))
            .WithMetadata(LambdaApiEndpoint.Instance);
    }

    public async Task HandleAsync(HttpContext context, string name)
    {
        var requestId = RequestIds.New();
        var headers = context.Response.Headers;
        headers[LambdaHeaders.RequestId] = requestId;
        headers[LambdaHeaders.AmzRequestId] = requestId;

        if (!_invoker.Accepting)
        {
            await WriteShuttingDownAsync(context).ConfigureAwait(false);
            return;
        }

        var payload = await PayloadReader.ReadAsync(context.Request, _options.MaxPayloadBytes, context.RequestAborted).ConfigureAwait(false);
        if (payload is null)
        {
            await LambdaErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, LambdaErrors.RequestTooLarge,
                $"Request must be smaller than {_options.MaxPayloadBytes} bytes for the InvokeFunction operation").ConfigureAwait(false);
            return;
        }

        // Authentication (AuthenticationMiddleware) came before anything that would tell a stranger whether a function exists.
        var (request, problem) = ReadRequest(context.Request, name);
        if (problem is not null)
        {
            await LambdaErrors.WriteAsync(context, StatusCodes.Status400BadRequest, LambdaErrors.InvalidParameterValue, problem).ConfigureAwait(false);
            return;
        }

        // A function calling another is held to its policy; people and scripts are authorised by their role elsewhere.
        if (CallerPrincipal.Get(context) is { Kind: PrincipalKind.Function, FunctionName: { } caller })
        {
            var decision = await _gate.CheckAsync(caller, PolicyActions.FunctionInvoke, request.FunctionName, context.RequestAborted).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                await LambdaErrors.WriteAsync(context, StatusCodes.Status403Forbidden, LambdaErrors.AccessDenied, decision.DeniedMessage(caller)).ConfigureAwait(false);
                return;
            }
        }

        var admission = _invoker.Admit(request.FunctionName, request.Qualifier);
        if (!admission.IsAdmitted)
        {
            await WriteRefusalAsync(context, request, admission).ConfigureAwait(false);
            return;
        }

        if (payload.Length == 0)
        {
            payload = s_emptyEvent; // as Lambda: no payload is the empty event
        }
        else if (JsonPayloadError.Describe(payload) is { } jsonError)
        {
            await LambdaErrors.WriteAsync(context, StatusCodes.Status400BadRequest, LambdaErrors.InvalidRequestContent,
                $"Could not parse request body into json: {jsonError}").ConfigureAwait(false);
            return;
        }

        // A shadow copy's calls to other functions are answered as if made, and not made: it must have no side effects.
        if (request.InvocationType != "DryRun" && _shadows?.TrySuppress(context) == true)
        {
            await WriteSuppressedAsync(context, request.InvocationType == "Event").ConfigureAwait(false);
            return;
        }

        if (request.InvocationType == "Event")
        {
            await _events.AcceptLambdaAsync(context, admission, request.FunctionName, request.Qualifier, payload, requestId).ConfigureAwait(false);
            return;
        }

        if (request.InvocationType == "DryRun")
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var call = new InvocationCall
        {
            FunctionName = request.FunctionName,
            Qualifier = request.Qualifier,
            Payload = payload,
            Source = InvocationSource.LambdaApi,
            RequestId = requestId,
            TraceParent = RequestValues.Header(context.Request, TraceHeaders.TraceParent),
            TraceState = RequestValues.Header(context.Request, TraceHeaders.TraceState),
            XRayTrace = RequestValues.Header(context.Request, TraceHeaders.XRay),
            ClientContext = request.ClientContext,
            CaptureLogTail = request.Tail,
            Header = header => RequestValues.Header(context.Request, header),
        };
        var answer = await _invoker.InvokeAsync(admission, call, context.RequestAborted).ConfigureAwait(false);
        if (answer.Result is not { } result)
        {
            await WriteRefusalAsync(context, request, answer).ConfigureAwait(false);
            return;
        }

        await WriteResultAsync(context, request.FunctionName, answer.Target!.Version, request.Tail, result).ConfigureAwait(false);
    }

    private Task WriteRefusalAsync(HttpContext context, LambdaInvokeRequest request, InvokeAnswer answer) => answer.Admission switch
    {
        AdmissionStatus.NotAccepting => WriteShuttingDownAsync(context),
        AdmissionStatus.NoCode => LambdaErrors.WriteAsync(context, StatusCodes.Status409Conflict, LambdaErrors.ResourceConflict, answer.Detail),
        AdmissionStatus.RecursiveInvocationDropped => LambdaErrors.WriteAsync(context, StatusCodes.Status400BadRequest, LambdaErrors.RecursiveInvocation, answer.Detail),
        AdmissionStatus.IdempotencyConflict => LambdaErrors.WriteAsync(context, StatusCodes.Status409Conflict, LambdaErrors.IdempotencyConflict, answer.Detail),
        _ => LambdaErrors.WriteAsync(context, StatusCodes.Status404NotFound, LambdaErrors.ResourceNotFound,
            $"Function not found: {FunctionArn.For(_options.Region, request.FunctionName, request.Qualifier)}"),
    };

    private static Task WriteSuppressedAsync(HttpContext context, bool asynchronous)
    {
        if (asynchronous)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync("null"u8.ToArray(), context.RequestAborted).AsTask();
    }

    // Lambda's model gives ServiceException 500; 503 says "temporarily, try again", which is the truth here.
    private static Task WriteShuttingDownAsync(HttpContext context) => LambdaErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
        LambdaErrors.Service, "Nimbus is shutting down and accepts no new invocations.");

    private static async Task WriteResultAsync(HttpContext context, string functionName, string targetVersion, bool tail, InvocationResult result)
    {
        if (result.Outcome == InvocationOutcome.Throttled)
        {
            var reason = result.ThrottleReason == ThrottleReason.PlatformConcurrency
                ? "ConcurrentInvocationLimitExceeded"
                : "ReservedFunctionConcurrentInvocationLimitExceeded";
            await LambdaErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, LambdaErrors.TooManyRequests,
                InvokeOutcomeMapper.ThrottleDetail(functionName, result), reason).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        var headers = response.Headers;
        headers[LambdaHeaders.ExecutedVersion] = result.ExecutedVersion ?? targetVersion;
        if (result.IsFunctionError)
        {
            // Every failure of the function itself, an oversized response included, is 200 + Unhandled, as in Lambda.
            headers[LambdaHeaders.FunctionError] = "Unhandled";
        }

        if (tail)
        {
            headers[LambdaHeaders.LogResult] = Convert.ToBase64String(Encoding.UTF8.GetBytes(result.LogTail ?? ""));
        }

        response.ContentType = "application/json";
        response.ContentLength = result.Body.Length;
        await response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Function name, qualifier and headers, or the reason the request is invalid.</summary>
    private static (LambdaInvokeRequest Request, string? Problem) ReadRequest(HttpRequest http, string name)
    {
        var invalid = new LambdaInvokeRequest("", null, "", false, null);
        if (!LambdaFunctionName.TryParse(name, out var functionName, out var qualifier, out var nameError))
        {
            return (invalid, nameError);
        }

        var queryQualifier = RequestValues.Query(http, "Qualifier");
        if (!string.IsNullOrEmpty(queryQualifier))
        {
            if (qualifier is not null && qualifier != queryQualifier)
            {
                return (invalid, $"The derived qualifier from the function name ('{qualifier}') does not match the specified qualifier ('{queryQualifier}').");
            }

            qualifier = queryQualifier;
        }

        var invocationType = RequestValues.Header(http, LambdaHeaders.InvocationType) ?? "RequestResponse";
        invocationType = invocationType switch
        {
            _ when invocationType.Equals("RequestResponse", StringComparison.OrdinalIgnoreCase) => "RequestResponse",
            _ when invocationType.Equals("Event", StringComparison.OrdinalIgnoreCase) => "Event",
            _ when invocationType.Equals("DryRun", StringComparison.OrdinalIgnoreCase) => "DryRun",
            _ => "",
        };
        if (invocationType.Length == 0)
        {
            return (invalid, $"{LambdaHeaders.InvocationType} '{http.Headers[LambdaHeaders.InvocationType]}' is not one of RequestResponse, Event, DryRun.");
        }

        var logType = RequestValues.Header(http, LambdaHeaders.LogType) ?? "None";
        if (!logType.Equals("None", StringComparison.OrdinalIgnoreCase) && !logType.Equals("Tail", StringComparison.OrdinalIgnoreCase))
        {
            return (invalid, $"{LambdaHeaders.LogType} '{logType}' is not one of None, Tail.");
        }

        string? clientContext = null;
        if (RequestValues.Header(http, LambdaHeaders.ClientContext) is { Length: > 0 } encoded)
        {
            clientContext = ClientContext.TryDecode(encoded, out var contextError);
            if (clientContext is null)
            {
                return (invalid, contextError);
            }
        }

        var tail = logType.Equals("Tail", StringComparison.OrdinalIgnoreCase);
        return (new LambdaInvokeRequest(functionName, qualifier, invocationType, tail, clientContext), null);
    }

    private sealed record LambdaInvokeRequest(string FunctionName, string? Qualifier, string InvocationType, bool Tail, string? ClientContext);
}
