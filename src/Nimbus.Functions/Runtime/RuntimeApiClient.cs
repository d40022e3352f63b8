using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// The HTTP side of the Lambda Runtime API 2018-06-01. One keep-alive connection carries every call, because this is
/// on the measured invoke path: a connection per call would cost a handshake each time.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _nextUri;
    private readonly Uri _initErrorUri;
    private readonly string _invocationPrefix;
    private byte[] _payloadBuffer = new byte[16 * 1024];

    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        var root = $"http://{runtimeApi}/2018-06-01/runtime/";
        _nextUri = new Uri(root + "invocation/next");
        _initErrorUri = new Uri(root + "init/error");
        _invocationPrefix = root + "invocation/";
        _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true)
        {
            // GET next is a long poll that lasts until there is work.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // The runtime API is not a traced dependency of the function; keep its requests free of trace headers.
        ActivityHeadersPropagator = null,
    };

    /// <summary>Waits for the next event. Throws <see cref="HttpRequestException"/> when the platform is unreachable.</summary>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _nextUri);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException($"GET invocation/next answered {(int)response.StatusCode}");
        }

        var headers = response.Headers.NonValidated;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("GET invocation/next answered without Lambda-Runtime-Aws-Request-Id");
        _ = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture,
            out var deadline);
        var length = await ReadPayloadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return new Invocation(
            requestId,
            deadline,
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            Header(headers, "Lambda-Runtime-Trace-Id"),
            Header(headers, "traceparent"),
            Header(headers, "Lambda-Runtime-Client-Context"),
            _payloadBuffer.AsMemory(0, length))
        {
            TraceState = Header(headers, "tracestate"),
        };
    }

    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync(new Uri(_invocationPrefix + requestId + "/response"), body, errorType: null, cancellationToken);

    public Task PostErrorAsync(string requestId, ReadOnlyMemory<byte> body, string errorType, CancellationToken cancellationToken) =>
        PostAsync(new Uri(_invocationPrefix + requestId + "/error"), body, errorType, cancellationToken);

    public Task PostInitErrorAsync(ReadOnlyMemory<byte> body, string errorType, CancellationToken cancellationToken) =>
        PostAsync(_initErrorUri, body, errorType, cancellationToken);

    private async Task PostAsync(Uri uri, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = s_json;
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The platform refused it (for example a payload over its limit, or an invocation that already timed
            // out); it records the outcome itself, so the worker just moves on to the next event.
            await Console.Error.WriteLineAsync(
                $"nimbus runtime: POST {uri.AbsolutePath} answered {(int)response.StatusCode}").ConfigureAwait(false);
        }
    }

    private async Task<int> ReadPayloadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (content.Headers.ContentLength is { } expected)
            {
                if (expected > _payloadBuffer.Length)
                {
                    _payloadBuffer = new byte[Math.Max(expected, _payloadBuffer.Length * 2L)];
                }

                return await stream.ReadAtLeastAsync(_payloadBuffer.AsMemory(0, (int)expected), (int)expected,
                    throwOnEndOfStream: true, cancellationToken).ConfigureAwait(false);
            }

            var total = 0;
            while (true)
            {
                if (total == _payloadBuffer.Length)
                {
                    Array.Resize(ref _payloadBuffer, _payloadBuffer.Length * 2);
                }

                var read = await stream.ReadAsync(_payloadBuffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return total;
                }

                total += read;
            }
        }
    }

    private static string? Header(HttpHeadersNonValidated headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.ToString() : null;

    public void Dispose() => _http.Dispose();
}
