using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// The HTTP side of the Lambda Runtime API 2018-06-01, over plain keep-alive sockets (see
/// <see cref="RuntimeApiConnection"/> for why not <c>HttpClient</c>). Calls reuse an idle connection, so one
/// connection carries every call of a one-at-a-time loop, as this is on the measured invoke path; calls made at the
/// same time each get a connection of their own.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly string _host;
    private readonly string _root;
    private readonly byte[] _nextRequest;
    private readonly Stack<RuntimeApiConnection> _idle = new();
    private readonly Lock _lock = new();
    private readonly BodyBuffer _payload = new(16 * 1024);
    private bool _disposed;

    /// <param name="runtimeApi"><c>host:port</c>, as in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public RuntimeApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _host = runtimeApi;
        _endPoint = ParseEndPoint(runtimeApi);
        _root = "/2018-06-01/runtime/";
        _nextRequest = Encoding.ASCII.GetBytes($"GET {_root}invocation/next HTTP/1.1\r\nHost: {_host}\r\n\r\n");
    }

    /// <summary>
    /// Waits for the next event. Throws <see cref="IOException"/> when the platform is unreachable. The payload's
    /// memory is reused by the next call.
    /// </summary>
    public Task<Invocation> NextAsync(CancellationToken cancellationToken) => NextAsync(_payload, cancellationToken);

    /// <summary>
    /// Waits for the next event into <paramref name="payload"/>: each of several loops that serve invocations at once
    /// has its own buffer, so one loop's next event never overwrites the payload another is still handling.
    /// </summary>
    public async Task<Invocation> NextAsync(BodyBuffer payload, CancellationToken cancellationToken)
    {
        var head = await ExchangeAsync(_nextRequest, ReadOnlyMemory<byte>.Empty, payload, cancellationToken).ConfigureAwait(false);
        if (head.StatusCode != 200)
        {
            throw new RuntimeApiException($"GET invocation/next answered {head.StatusCode}");
        }

        var requestId = head.Header("Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("GET invocation/next answered without Lambda-Runtime-Aws-Request-Id");
        _ = long.TryParse(head.Header("Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadline);
        return new Invocation(
            requestId,
            deadline,
            head.Header("Lambda-Runtime-Invoked-Function-Arn") ?? "",
            head.Header("Lambda-Runtime-Trace-Id"),
            head.Header("traceparent"),
            head.Header("Lambda-Runtime-Client-Context"),
            payload.Memory)
        {
            TraceState = head.Header("tracestate"),
        };
    }

    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync("invocation/" + Uri.EscapeDataString(requestId) + "/response", body, errorType: null, cancellationToken);

    public Task PostErrorAsync(string requestId, ReadOnlyMemory<byte> body, string errorType, CancellationToken cancellationToken) =>
        PostAsync("invocation/" + Uri.EscapeDataString(requestId) + "/error", body, errorType, cancellationToken);

    public Task PostInitErrorAsync(ReadOnlyMemory<byte> body, string errorType, CancellationToken cancellationToken) =>
        PostAsync("init/error", body, errorType, cancellationToken);

    private async Task PostAsync(string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        var request = new StringBuilder(256)
            .Append("POST ").Append(_root).Append(path).Append(" HTTP/1.1\r\nHost: ").Append(_host)
            .Append("\r\nContent-Type: application/json\r\nContent-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture))
            .Append("\r\n");
        if (errorType is not null)
        {
            // A header value cannot hold a line break; an exception type name never should.
            request.Append("Lambda-Runtime-Function-Error-Type: ").Append(errorType.Replace('\r', ' ').Replace('\n', ' ')).Append("\r\n");
        }

        request.Append("\r\n");
        var head = Encoding.UTF8.GetBytes(request.ToString());
        var answer = new BodyBuffer(256);
        var response = await ExchangeAsync(head, body, answer, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is < 200 or > 299)
        {
            // The platform refused it (for example a payload over its limit, or an invocation that already timed
            // out); it records the outcome itself, so the worker just moves on to the next event.
            await Console.Error.WriteLineAsync($"nimbus runtime: POST {_root}{path} answered {response.StatusCode}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One request and its response on an idle connection (or a new one). A reused connection that fails before any
    /// byte of the answer arrived was most likely closed by the server while idle, so the request is sent once more
    /// on a new connection: the server did not act on it.
    /// </summary>
    private async Task<ResponseHead> ExchangeAsync(ReadOnlyMemory<byte> request, ReadOnlyMemory<byte> body, BodyBuffer answer,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = TakeIdle() ?? new RuntimeApiConnection(_endPoint);
            try
            {
                if (!connection.Reused)
                {
                    await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
                }

                var head = await connection.ExchangeAsync(request, body, answer, cancellationToken).ConfigureAwait(false);
                Return(connection, head.KeepAlive);
                return head;
            }
            catch (Exception exception) when (exception is IOException or SocketException && connection.Reused && !connection.ReceivedAny)
            {
                connection.Dispose();
            }
            catch (SocketException exception)
            {
                connection.Dispose();
                throw new IOException($"runtime API {_host}: {exception.Message}", exception);
            }
            catch
            {
                // Cancelled or broken in the middle of an exchange: the connection's state is unknown.
                connection.Dispose();
                throw;
            }
        }
    }

    private RuntimeApiConnection? TakeIdle()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _idle.TryPop(out var idle) ? idle : null;
        }
    }

    private void Return(RuntimeApiConnection connection, bool keepAlive)
    {
        lock (_lock)
        {
            if (keepAlive && !_disposed)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    private static EndPoint ParseEndPoint(string runtimeApi)
    {
        var value = runtimeApi.Trim();
        if (IPEndPoint.TryParse(value, out var ip) && ip.Port != 0)
        {
            return ip;
        }

        var colon = value.LastIndexOf(':');
        if (colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) &&
            port is > 0 and <= IPEndPoint.MaxPort)
        {
            return new DnsEndPoint(value[..colon], port);
        }

        throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API must be host:port, not '{runtimeApi}'", nameof(runtimeApi));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
        }
    }
}
