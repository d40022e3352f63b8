using System.Globalization;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Security;
using Nimbus.Core.Security.Policy;
using Nimbus.Server.Events;
using Nimbus.Server.Hosting;
using Nimbus.Server.Invocations;
using Nimbus.Server.Runtime;
using Nimbus.Server.Security;

namespace Nimbus.Server.Gateway;

/// <summary><c>POST /api/v1/functions/{name}/invoke</c>: synchronous invocation with Nimbus's own headers.</summary>
public sealed class InvokeEndpoint
{
    private readonly Invoker _invoker;
    private readonly int _maxPayloadBytes;
    private readonly AsyncInvocationEntry _events;
    private readonly IAccessGate _gate;

    public InvokeEndpoint(Invoker invoker, NimbusServerOptions options, AsyncInvocationEntry events, IAccessGate gate)
    {
        _gate = gate;
        _invoker = invoker;
        _maxPayloadBytes = options.MaxPayloadBytes;
        _events = events;
    }

    public async Task HandleAsync(HttpContext context, string name)
    {
        var (functionName, qualifier) = Qualifier.Split(name);
        qualifier ??= RequestValues.Query(context.Request, "qualifier");
        if (CallerPrincipal.Get(context) is { Kind: PrincipalKind.Function, FunctionName: { } caller })
        {
            var decision = await _gate.CheckAsync(caller, PolicyActions.FunctionInvoke, functionName, context.RequestAborted).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "AccessDeniedException", decision.DeniedMessage(caller)).ConfigureAwait(false);
                return;
            }
        }

        var admission = _invoker.Admit(functionName, qualifier);
        if (!admission.IsAdmitted)
        {
            await WriteRefusalAsync(context, admission).ConfigureAwait(false);
            return;
        }

        var payload = await PayloadReader.ReadAsync(context.Request, _maxPayloadBytes, context.RequestAborted).ConfigureAwait(false);
        if (payload is null)
        {
            await Problems.PayloadTooLargeAsync(context, _maxPayloadBytes).ConfigureAwait(false);
            return;
        }

        if (AsyncInvocationEntry.IsRequested(context.Request))
        {
            await _events.AcceptNativeAsync(context, admission, functionName, qualifier, payload).ConfigureAwait(false);
            return;
        }

        var call = new InvocationCall
        {
            Header = name => RequestValues.Header(context.Request, name),
            FunctionName = functionName,
            Qualifier = qualifier,
            Payload = payload,
            Source = InvocationSource.Api,
            TraceParent = RequestValues.Header(context.Request, TraceHeaders.TraceParent),
            TraceState = RequestValues.Header(context.Request, TraceHeaders.TraceState),
            XRayTrace = RequestValues.Header(context.Request, TraceHeaders.XRay),
        };
        var answer = await _invoker.InvokeAsync(admission, call, context.RequestAborted).ConfigureAwait(false);
        if (answer.Result is not { } result)
        {
            await WriteRefusalAsync(context, answer).ConfigureAwait(false);
            return;
        }

        await WriteResultAsync(context, functionName, result, _maxPayloadBytes).ConfigureAwait(false);
    }

    private static Task WriteRefusalAsync(HttpContext context, InvokeAnswer answer) => answer.Admission switch
    {
        AdmissionStatus.NotAccepting => Problems.ShuttingDownAsync(context),
        AdmissionStatus.NoCode => Problems.WriteAsync(context, StatusCodes.Status409Conflict, "Function has no code", answer.Detail),
        AdmissionStatus.RecursiveInvocationDropped => Problems.WriteAsync(context, StatusCodes.Status508LoopDetected, "Recursive invocation dropped", answer.Detail,
            new Dictionary<string, object?> { ["reason"] = Core.Tracing.RecursionGuard.ErrorType }),
        AdmissionStatus.IdempotencyConflict => Problems.WriteAsync(context, StatusCodes.Status409Conflict, "Idempotency conflict", answer.Detail,
            new Dictionary<string, object?> { ["reason"] = "IdempotencyConflict" }),
        _ => Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Function not found", answer.Detail),
    };

    public static async Task WriteResultAsync(HttpContext context, string functionName, InvocationResult result, int maxPayloadBytes)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers[NimbusHeaders.RequestId] = result.RequestId;
        if (result.Outcome == Core.Invocations.InvocationOutcome.Throttled)
        {
            await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, InvokeOutcomeMapper.ThrottleTitle(result),
                InvokeOutcomeMapper.ThrottleDetail(functionName, result),
                new Dictionary<string, object?> { ["reason"] = result.ThrottleReason.ToString(), ["limit"] = result.Limit }).ConfigureAwait(false);
            return;
        }

        if (InvokeOutcomeMapper.IsResponseTooLarge(result))
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Response too large",
                $"The function's response is larger than the maximum of {maxPayloadBytes} bytes ({maxPayloadBytes / (1024 * 1024)} MB).").ConfigureAwait(false);
            return;
        }

        if (result.ExecutedVersion is { } version)
        {
            headers[NimbusHeaders.ExecutedVersion] = version;
        }

        headers[NimbusHeaders.Duration] = result.DurationMs.ToString("F3", CultureInfo.InvariantCulture);
        if (result.ColdStart)
        {
            headers[NimbusHeaders.ColdStart] = "true";
            if (result.InitDurationMs is { } init)
            {
                headers[NimbusHeaders.InitDuration] = init.ToString("F3", CultureInfo.InvariantCulture);
            }
        }

        if (result.IsFunctionError)
        {
            headers[NimbusHeaders.FunctionError] = "Unhandled";
        }

        if (result.IdempotentReplayOf is { } original)
        {
            headers[NimbusHeaders.IdempotentReplay] = original;
        }

        response.ContentType = "application/json";
        response.ContentLength = result.Body.Length;
        await response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
