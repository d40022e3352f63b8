using System.Globalization;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Invocations;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Server.Security.Secrets;

namespace Nimbus.Server.Runtime;

/// <summary>
/// The AWS Lambda Runtime API (2018-06-01) as each instance sees it on its own port: <c>invocation/next</c>,
/// <c>invocation/{id}/response</c>, <c>invocation/{id}/error</c> and <c>init/error</c>.
/// </summary>
public sealed class RuntimeApiHandler
{
    private const string Prefix = "/2018-06-01/runtime/";

    /// <summary>The OTLP/HTTP traces path: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> points each worker at its own runtime port.</summary>
    public const string OtlpTracesPath = "/v1/traces";

    /// <summary>Lambda's invoke API, served on runtime ports too: <c>AWS_ENDPOINT_URL_LAMBDA</c> points each worker there.</summary>
    public const string LambdaApiPrefix = "/2015-03-31/functions/";
    private const int MaxSpanExportBytes = 4 * 1024 * 1024;
    private const int MaxErrorBytes = 1024 * 1024;
    private static readonly byte[] s_accepted = """{"status":"OK"}"""u8.ToArray();
    private readonly Dispatcher _dispatcher;
    private readonly int _maxPayloadBytes;
    private readonly SecretsExtensionHandler _secrets;

    private readonly Telemetry.TelemetrySink _telemetry;

    public RuntimeApiHandler(Dispatcher dispatcher, NimbusServerOptions options, Telemetry.TelemetrySink telemetry, SecretsExtensionHandler secrets)
    {
        _telemetry = telemetry;
        _dispatcher = dispatcher;
        _secrets = secrets;
        _maxPayloadBytes = options.MaxPayloadBytes;
    }

    public Task HandleAsync(HttpContext context)
    {
        var instance = _dispatcher.GetInstanceByPort(context.Connection.LocalPort);
        if (instance is null)
        {
            return WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Runtime.NoInstance", "No instance is bound to this runtime API port");
        }

        var path = context.Request.Path.Value ?? "";
        if (path == OtlpTracesPath && HttpMethods.IsPost(context.Request.Method))
        {
            return ReceiveSpansAsync(context, instance);
        }

        if (path == SecretsExtensionHandler.Path)
        {
            return _secrets.HandleAsync(context, instance);
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, "NotFound", $"Unknown runtime API path '{path}'");
        }

        var rest = path.AsSpan(Prefix.Length);
        var method = context.Request.Method;
        if (rest.SequenceEqual("invocation/next") && HttpMethods.IsGet(method))
        {
            return NextAsync(context, instance);
        }

        if (rest.SequenceEqual("init/error") && HttpMethods.IsPost(method))
        {
            return InitErrorAsync(context, instance);
        }

        if (rest.StartsWith("invocation/") && HttpMethods.IsPost(method))
        {
            var tail = rest["invocation/".Length..];
            var slash = tail.IndexOf('/');
            if (slash > 0)
            {
                var requestId = tail[..slash];
                var action = tail[(slash + 1)..];
                if (action.SequenceEqual("response"))
                {
                    return ResponseAsync(context, instance, requestId.ToString());
                }

                if (action.SequenceEqual("error"))
                {
                    return ErrorAsync(context, instance, requestId.ToString());
                }
            }
        }

        return WriteErrorAsync(context, StatusCodes.Status404NotFound, "NotFound", $"Unknown runtime API call {method} '{path}'");
    }

    /// <summary>
    /// Whether a request on a runtime port is for the platform's APIs rather than the Runtime API: the Lambda invoke
    /// API (function-to-function calls through the AWS SDK), which then runs as it does on the gateway.
    /// </summary>
    public static bool IsLambdaApi(HttpContext context) => context.Request.Path.StartsWithSegments("/2015-03-31/functions", StringComparison.Ordinal);

    /// <summary>
    /// OTLP/HTTP JSON from the function's OpenTelemetry SDK: the spans join the store as the instance's function's.
    /// Answers OTLP's empty <c>ExportTraceServiceResponse</c>; protobuf bodies get 415 (JSON only for now).
    /// </summary>
    private async Task ReceiveSpansAsync(HttpContext context, Instance instance)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                "Nimbus's OTLP receiver takes OTLP/HTTP JSON (Content-Type: application/json); set the exporter's protocol to http/json").ConfigureAwait(false);
            return;
        }

        var body = await PayloadReader.ReadAsync(context.Request, MaxSpanExportBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestTooLarge", $"An export must be at most {MaxSpanExportBytes} bytes").ConfigureAwait(false);
            return;
        }

        if (Core.Tracing.OtlpJsonSpans.Parse(body, instance.Target.FunctionName, out var error) is not { } spans)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestContent", error ?? "not an OTLP trace export").ConfigureAwait(false);
            return;
        }

        _telemetry.FunctionSpans(spans);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{}", context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task NextAsync(HttpContext context, Instance instance)
    {
        instance.MarkInitialized();
        var waiting = instance.WaitForNextAsync();
        Invocation? invocation;
        if (waiting.IsCompleted)
        {
            invocation = await waiting.ConfigureAwait(false);
        }
        else
        {
            try
            {
                using (context.RequestAborted.UnsafeRegister(static state =>
                       {
                           var (waitingInstance, waitingTask) = ((Instance, Task<Invocation?>))state!;
                           waitingInstance.CancelWaiter(waitingTask);
                       }, (instance, waiting)))
                {
                    invocation = await waiting.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return; // the worker went away while waiting
            }
        }

        if (invocation is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status410Gone, "Runtime.Stopping", "This instance is being stopped").ConfigureAwait(false);
            return;
        }

        // Asking for the next event ends the previous one: its output (even what was written after the response)
        // is attributed before the new invocation takes over.
        // With several slots the pipe cannot tell invocations apart: the runtime clients name the request id in each
        // line, and a line without one goes to the invocation taken last.
        if (instance.Slots == 1 && instance.Logs.Owner is not null)
        {
            await instance.Logs.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        }

        instance.Logs.Owner = invocation;

        var response = context.Response;
        var headers = response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.DeadlineUnixMs.ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.InvokedFunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = invocation.XRayTraceId;
        headers["traceparent"] = invocation.TraceParent;
        headers["tracestate"] = invocation.TraceState;
        if (invocation.Request.ClientContext is { } clientContext)
        {
            headers["Lambda-Runtime-Client-Context"] = clientContext;
        }

        response.ContentType = "application/json";
        var payload = invocation.Request.Payload;
        response.ContentLength = payload.Length;
        await response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ResponseAsync(HttpContext context, Instance instance, string requestId)
    {
        if (!TryGetCurrent(instance, requestId, out var invocation))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID", $"Invalid request ID: '{requestId}' is not the invocation this instance serves").ConfigureAwait(false);
            return;
        }

        var body = await PayloadReader.ReadAsync(context.Request, _maxPayloadBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            invocation.TryFail(InvocationOutcome.FunctionError, Core.Invocations.ErrorTypes.ResponseTooLarge,
                $"Response payload size exceeded maximum allowed payload size ({_maxPayloadBytes} bytes).");
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, Core.Invocations.ErrorTypes.ResponseTooLarge,
                $"Response payload size exceeded maximum allowed payload size ({_maxPayloadBytes} bytes).").ConfigureAwait(false);
            return;
        }

        invocation.TryComplete(InvocationOutcome.Success, body, null);
        await AcceptedAsync(context).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, Instance instance, string requestId)
    {
        if (!TryGetCurrent(instance, requestId, out var invocation))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID", $"Invalid request ID: '{requestId}' is not the invocation this instance serves").ConfigureAwait(false);
            return;
        }

        var (body, errorType) = await ReadErrorAsync(context, instance).ConfigureAwait(false);
        invocation.TryComplete(InvocationOutcome.FunctionError, body, errorType);
        await AcceptedAsync(context).ConfigureAwait(false);
    }

    private static async Task InitErrorAsync(HttpContext context, Instance instance)
    {
        if (instance.IsInitialized)
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Runtime.InvalidStateTransition", "init/error is only valid before the first invocation/next").ConfigureAwait(false);
            return;
        }

        var (body, errorType) = await ReadErrorAsync(context, instance).ConfigureAwait(false);
        var (_, message) = LambdaError.Read(body);
        instance.FailInit(errorType, message ?? System.Text.Encoding.UTF8.GetString(body));
        await AcceptedAsync(context).ConfigureAwait(false);
    }

    /// <summary>Reads an error report; a body that is not Lambda's error JSON is wrapped into one.</summary>
    private static async Task<(byte[] Body, string ErrorType)> ReadErrorAsync(HttpContext context, Instance instance)
    {
        var (body, errorType) = await ReadRawErrorAsync(context).ConfigureAwait(false);
        // A secret in an error message would reach the caller, the error groups and notifications: mask it here, once.
        var redactor = instance.Redactor;
        if (!redactor.IsEmpty)
        {
            var text = System.Text.Encoding.UTF8.GetString(body);
            var redacted = redactor.Redact(text);
            if (!ReferenceEquals(text, redacted))
            {
                body = System.Text.Encoding.UTF8.GetBytes(redacted);
            }
        }

        return (body, errorType);
    }

    private static async Task<(byte[] Body, string ErrorType)> ReadRawErrorAsync(HttpContext context)
    {
        var raw = await PayloadReader.ReadAsync(context.Request, MaxErrorBytes, context.RequestAborted).ConfigureAwait(false) ?? [];
        var headerType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        var (bodyType, bodyMessage) = LambdaError.Read(raw);
        var errorType = bodyType ?? (headerType.Length > 0 ? headerType : "Unhandled");
        if (bodyType is null && bodyMessage is null)
        {
            var text = System.Text.Encoding.UTF8.GetString(raw);
            return (LambdaError.Serialize(errorType, text.Length > 0 ? text : "The function reported an error without details"), errorType);
        }

        return (raw, errorType);
    }

    private static bool TryGetCurrent(Instance instance, string requestId, out Invocation invocation)
    {
        invocation = instance.FindInFlight(requestId)!;
        return invocation is not null;
    }

    private static Task AcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = s_accepted.Length;
        return context.Response.Body.WriteAsync(s_accepted, context.RequestAborted).AsTask();
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = LambdaError.Serialize(errorType, message);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
