using Microsoft.AspNetCore.Http;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Core.Idempotency;
using Nimbus.Core.Tracing;
using Nimbus.Server.Gateway;
using Nimbus.Server.Invocations;
using Nimbus.Core.Invocations;

namespace Nimbus.Server.Events;

/// <summary>
/// The Event branch of the invoke endpoints: checks the async limits, hands the event to the group commit, and
/// answers 202 only once it is committed. The endpoints have admitted the function before (404/409 are theirs).
/// </summary>
public sealed class AsyncInvocationEntry
{
    /// <summary>Request header of the native endpoint that asks for an async invocation (value <c>Event</c>).</summary>
    public const string InvocationTypeHeader = "X-Nimbus-Invocation-Type";

    private readonly AsyncEventAcceptor _acceptor;
    private readonly AsyncEventOptions _options;
    private readonly Telemetry.TelemetrySink _telemetry;
    private readonly TimeProvider _time;

    public AsyncInvocationEntry(AsyncEventAcceptor acceptor, AsyncEventOptions options, Telemetry.TelemetrySink telemetry, TimeProvider time)
    {
        _acceptor = acceptor;
        _options = options;
        _telemetry = telemetry;
        _time = time;
    }

    /// <summary>True when the native request asks for <c>Event</c>.</summary>
    public static bool IsRequested(HttpRequest request) =>
        string.Equals(RequestValues.Header(request, InvocationTypeHeader), "Event", StringComparison.OrdinalIgnoreCase);

    /// <summary>Lambda's invoke API with <c>X-Amz-Invocation-Type: Event</c>: 202 with an empty body, or Lambda's errors.</summary>
    public async Task AcceptLambdaAsync(HttpContext context, InvokeAnswer admission, string functionName, string? qualifier,
        ReadOnlyMemory<byte> payload, string requestId)
    {
        if (payload.Length > _options.MaxPayloadBytes)
        {
            await LambdaErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, LambdaErrors.RequestTooLarge,
                $"Request must be smaller than {_options.MaxPayloadBytes} bytes for an asynchronous (Event) invocation").ConfigureAwait(false);
            return;
        }

        var (result, depth) = await AcceptAsync(context, admission, functionName, qualifier, payload, requestId).ConfigureAwait(false);
        switch (result)
        {
            case AcceptResult.Accepted:
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                break;
            case AcceptResult.QueueFull:
                await LambdaErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, LambdaErrors.TooManyRequests,
                    QueueFullDetail(functionName, depth), "QueueFull").ConfigureAwait(false);
                break;
            default:
                await LambdaErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, LambdaErrors.Service,
                    "Nimbus is shutting down and accepts no new invocations.").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The native endpoint with <c>X-Nimbus-Invocation-Type: Event</c>: 202 <c>{"requestId": ...}</c> or ProblemDetails.</summary>
    public async Task AcceptNativeAsync(HttpContext context, InvokeAnswer admission, string functionName, string? qualifier, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > _options.MaxPayloadBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"The request payload is larger than the maximum of {_options.MaxPayloadBytes} bytes ({_options.MaxPayloadBytes / 1024} KB) for an asynchronous invocation.")
                .ConfigureAwait(false);
            return;
        }

        // Time-ordered (UUIDv7): the event's id is its request id and the queue's primary key, so a batch of new events
        // lands on the index's last page instead of one random page each (docs/design/async-queue.md).
        var requestId = RequestIds.New();
        var (result, depth) = await AcceptAsync(context, admission, functionName, qualifier, payload, requestId).ConfigureAwait(false);
        switch (result)
        {
            case AcceptResult.Accepted:
                context.Response.Headers[NimbusHeaders.RequestId] = requestId;
                var body = AcceptedBody(requestId);
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                break;
            case AcceptResult.QueueFull:
                await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Queue full", QueueFullDetail(functionName, depth),
                    new Dictionary<string, object?> { ["reason"] = "QueueFull", ["limit"] = depth }).ConfigureAwait(false);
                break;
            default:
                await Problems.ShuttingDownAsync(context).ConfigureAwait(false);
                break;
        }
    }

    private async Task<(AcceptResult Result, int Depth)> AcceptAsync(HttpContext context, InvokeAnswer admission, string functionName, string? qualifier,
        ReadOnlyMemory<byte> payload, string requestId)
    {
        var depth = (admission.Target?.Config.Async ?? AsyncConfig.Default).QueueDepth;

        // Every attempt, retries included, continues one trace: the one the caller sent, or one started here.
        // The hop count goes with the event, so the recursion guard judges each attempt at the depth of the call that sent it.
        var trace = TraceHeaders.Continue(context.Request);
        var item = new NewAsyncEvent(functionName, qualifier, payload.ToArray(), requestId, QueuedTrace.Encode(trace), depth,
            HeaderKeyOf(context.Request, admission.Target?.Config.Idempotency));
        var result = await _acceptor.AcceptAsync(item, context.RequestAborted).ConfigureAwait(false);
        if (result == AcceptResult.Accepted)
        {
            _telemetry.Enqueued(functionName, requestId, trace, _time.GetUtcNow());
        }

        return (result, depth);
    }

    /// <summary>
    /// The request's value of the function's <c>header:NAME</c> idempotency key, kept with the event (the only header it
    /// keeps); null for a JSON-path key, no idempotency, or a request without that header (the event then runs unkeyed).
    /// </summary>
    private static EventHeaderKey? HeaderKeyOf(HttpRequest request, IdempotencyConfig? idempotency) =>
        idempotency is not null && IdempotencyKeySource.TryParse(idempotency.Key, out var source, out _) && source.Header is { } name
        && RequestValues.Header(request, name) is { Length: > 0 } value
            ? new EventHeaderKey(name, value)
            : null;

    private static string QueueFullDetail(string functionName, int depth) =>
        $"Function '{functionName}' already has {depth} events waiting (its maximumQueueDepth); retry later or raise the bound.";

    /// <summary>
    /// <c>{"requestId": "..."}</c>, written directly: the id is a GUID (nothing to escape), and the 202 is the hot path
    /// of acceptance, where a serializer per request showed in the profile (docs/design/async-queue.md).
    /// </summary>
    private static byte[] AcceptedBody(string requestId) => System.Text.Encoding.UTF8.GetBytes($$"""{"requestId":"{{requestId}}"}""");
}
