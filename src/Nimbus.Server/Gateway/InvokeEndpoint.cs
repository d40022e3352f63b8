using System.Globalization;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Server.Hosting;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Gateway;

/// <summary><c>POST /api/v1/functions/{name}/invoke</c>: synchronous invocation with Nimbus's own headers.</summary>
public sealed class InvokeEndpoint
{
    private readonly RoutingState _routing;
    private readonly Dispatcher _dispatcher;
    private readonly int _maxPayloadBytes;

    public InvokeEndpoint(RoutingState routing, Dispatcher dispatcher, NimbusServerOptions options)
    {
        _routing = routing;
        _dispatcher = dispatcher;
        _maxPayloadBytes = options.MaxPayloadBytes;
    }

    public async Task HandleAsync(HttpContext context, string name)
    {
        if (!_dispatcher.Accepting)
        {
            await Problems.ShuttingDownAsync(context).ConfigureAwait(false);
            return;
        }

        var (functionName, qualifier) = Qualifier.Split(name);
        qualifier ??= RequestValues.Query(context.Request, "qualifier");
        var resolved = _routing.Current.Resolve(functionName, qualifier, Random.Shared.NextDouble());
        if (resolved.Status != ResolveStatus.Found)
        {
            var status = resolved.Status == ResolveStatus.NoCode ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound;
            await Problems.WriteAsync(context, status, status == 404 ? "Function not found" : "Function has no code", resolved.Message).ConfigureAwait(false);
            return;
        }

        var payload = await PayloadReader.ReadAsync(context.Request, _maxPayloadBytes, context.RequestAborted).ConfigureAwait(false);
        if (payload is null)
        {
            await Problems.PayloadTooLargeAsync(context, _maxPayloadBytes).ConfigureAwait(false);
            return;
        }

        var request = new InvokeRequest(Guid.NewGuid().ToString(), payload, RequestValues.Header(context.Request, "traceparent"));
        var result = await _dispatcher.InvokeAsync(resolved.Target!, resolved.Alias, request, context.RequestAborted).ConfigureAwait(false);
        await WriteResultAsync(context, functionName, result, _maxPayloadBytes).ConfigureAwait(false);
    }

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

        response.ContentType = "application/json";
        response.ContentLength = result.Body.Length;
        await response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
