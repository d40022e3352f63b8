using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// The HTTP side of the Lambda Runtime API 2018-06-01, over plain keep-alive blocking sockets (see
/// <see cref="RuntimeApiConnection"/> for why neither <c>HttpClient</c> nor asynchronous calls). Calls reuse an idle
/// connection, so one connection carries every call of a one-at-a-time loop, as this is on the measured invoke path;
/// calls made at the same time (from several loops' threads) each get a connection of their own.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly string _host;
    private readonly string _root;
    private readonly byte[] _nextRequest;
    private readonly Stack<RuntimeApiConnection> _idle = new();
    private readonly Lock _lock = new();
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
    /// Waits for the next event into <paramref name="payload"/>, blocking the calling thread; each of several loops
    /// that serve invocations at once has its own buffer, so one loop's next event never overwrites the payload another
    /// is still handling. Throws <see cref="IOException"/> when the platform is unreachable.
    /// </summary>
    public Invocation Next(BodyBuffer payload, CancellationToken cancellationToken) =>
        ToInvocation(Exchange(_nextRequest, ReadOnlySpan<byte>.Empty, payload, pipelinedNext: null, out _, cancellationToken), payload);

    /// <summary>
    /// Posts an invocation's response and, pipelined on the same connection, asks for the next event (into
    /// <paramref name="payload"/>, which <paramref name="body"/> may share: it is sent before anything is read).
    /// The platform sees the loop ready again as soon as it has the response, without waiting for the answer to travel
    /// back first; one send carries both requests.
    /// </summary>
    public Invocation PostResponseThenNext(string requestId, ReadOnlySpan<byte> body, BodyBuffer payload, CancellationToken cancellationToken) =>
        PostThenNext("invocation/" + Uri.EscapeDataString(requestId) + "/response", body, errorType: null, payload, cancellationToken);

    /// <summary>As <see cref="PostResponseThenNext"/>, for a handler that failed.</summary>
    public Invocation PostErrorThenNext(string requestId, ReadOnlySpan<byte> body, string errorType, BodyBuffer payload,
        CancellationToken cancellationToken) =>
        PostThenNext("invocation/" + Uri.EscapeDataString(requestId) + "/error", body, errorType, payload, cancellationToken);

    public void PostInitError(ReadOnlySpan<byte> body, string errorType, CancellationToken cancellationToken) =>
        Post("init/error", body, errorType, pipelinedNext: null, cancellationToken);

    private Invocation PostThenNext(string path, ReadOnlySpan<byte> body, string? errorType, BodyBuffer payload, CancellationToken cancellationToken) =>
        Post(path, body, errorType, payload, cancellationToken) is { } next
            ? ToInvocation(next, payload)
            : Next(payload, cancellationToken); // the connection closed after the post: ask again on a new one

    private static Invocation ToInvocation(ResponseHead head, BodyBuffer payload)
    {
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

    /// <returns>The answer to the pipelined <c>next</c>, or null when none was asked or the connection closed first.</returns>
    private ResponseHead? Post(string path, ReadOnlySpan<byte> body, string? errorType, BodyBuffer? pipelinedNext, CancellationToken cancellationToken)
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
        var response = Exchange(head, body, answer, pipelinedNext, out var next, cancellationToken);
        if (response.StatusCode is < 200 or > 299)
        {
            // The platform refused it (for example a payload over its limit, or an invocation that already timed
            // out); it records the outcome itself, so the worker just moves on to the next event.
            Console.Error.WriteLine($"nimbus runtime: POST {_root}{path} answered {response.StatusCode}");
        }

        return next;
    }

    /// <summary>
    /// One request and its response on an idle connection (or a new one), blocking the calling thread, and with
    /// <paramref name="pipelinedNext"/> a <c>GET next</c> sent behind it whose answer is <paramref name="next"/> (null
    /// when the server closed the connection after the first answer: it did not serve the second request).
    /// <paramref name="cancellationToken"/> aborts the connection, so a long poll ends at once. A reused connection that
    /// fails before any byte of the answer arrived was most likely closed by the server while idle, so the requests are
    /// sent once more on a new connection: the server did not act on them.
    /// </summary>
    private ResponseHead Exchange(ReadOnlySpan<byte> request, ReadOnlySpan<byte> body, BodyBuffer answer, BodyBuffer? pipelinedNext,
        out ResponseHead? next, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = TakeIdle() ?? new RuntimeApiConnection(_endPoint);
            var abort = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((RuntimeApiConnection)state!).Abort(), connection)
                : default;
            try
            {
                if (!connection.Reused)
                {
                    connection.Connect();
                }

                connection.Send(request, body, pipelinedNext is null ? default : _nextRequest);
                var head = connection.Read(answer);
                next = pipelinedNext is not null && head.KeepAlive ? connection.Read(pipelinedNext) : null;
                abort.Dispose();
                cancellationToken.ThrowIfCancellationRequested(); // aborted as it completed: its state is unknown
                Return(connection, (next ?? head).KeepAlive);
                return head;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                abort.Dispose();
                connection.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or SocketException && connection.Reused && !connection.ReceivedAny)
            {
                abort.Dispose();
                connection.Dispose();
            }
            catch (SocketException exception)
            {
                abort.Dispose();
                connection.Dispose();
                throw new IOException($"runtime API {_host}: {exception.Message}", exception);
            }
            catch
            {
                // Broken in the middle of an exchange: the connection's state is unknown.
                abort.Dispose();
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
