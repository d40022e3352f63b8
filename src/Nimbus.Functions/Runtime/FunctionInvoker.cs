using System.Net.Http.Headers;
using System.Text.Json;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// Calls another function through Lambda's invoke API at <c>AWS_ENDPOINT_URL_LAMBDA</c> (the instance's own runtime
/// port under Nimbus), forwarding this invocation's trace context: <c>traceparent</c> with its <c>tracestate</c> (the
/// hop count the recursion guard reads) and the X-Ray header, so the callee's span is the child of this invocation's.
/// </summary>
internal static class FunctionInvoker
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    // One client for the process: the endpoint is loopback and never changes. Calls last as long as the callee runs,
    // so no client timeout; the caller's deadline cancels.
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static HttpRequestMessage CreateRequest(Uri endpoint, string functionName, ReadOnlyMemory<byte> payload, FunctionInvocationType type,
        string? traceParent, string? traceState, string? xRayTraceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        var baseText = endpoint.ToString().TrimEnd('/');
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{baseText}/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations"))
        {
            Content = new ReadOnlyMemoryContent(payload.IsEmpty ? "{}"u8.ToArray() : payload),
        };
        request.Content.Headers.ContentType = s_json;
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", type == FunctionInvocationType.Event ? "Event" : "RequestResponse");
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
            if (traceState is not null)
            {
                request.Headers.TryAddWithoutValidation("tracestate", traceState);
            }
        }

        if (xRayTraceId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", xRayTraceId);
        }

        return request;
    }

    public static async Task<FunctionInvokeResult> InvokeAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpClient? http = null)
    {
        using var response = await (http ?? s_http).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is < 200 or > 299)
        {
            var type = Header(response, "x-amzn-ErrorType");
            throw new FunctionInvokeException(status, type, $"invoke {request.RequestUri?.AbsolutePath} answered {status} {type}: {ErrorMessage(body)}");
        }

        return new FunctionInvokeResult(status, Header(response, "X-Amz-Function-Error"), Header(response, "X-Amz-Executed-Version"), body);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>Lambda's error body is <c>{"Type":"User","message":"..."}</c> (or <c>Message</c>).</summary>
    private static string ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var name in (string[])["message", "Message"])
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var message)
                    && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString() ?? "";
                }
            }
        }
        catch (JsonException)
        {
        }

        return System.Text.Encoding.UTF8.GetString(body);
    }
}
