using System.Net;
using System.Net.Sockets;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// One keep-alive HTTP/1.1 connection to the runtime API over a plain blocking socket: writes a request, reads one
/// response. Not thread-safe (except <see cref="Abort"/>); <see cref="RuntimeApiClient"/> hands each call a connection
/// of its own.
/// </summary>
/// <remarks>
/// A plain socket instead of <c>HttpClient</c> because of the cold start: <c>SocketsHttpHandler</c> loads and JITs
/// System.Net.Http, System.Net.Security, cryptography, name resolution and diagnostics before its first request,
/// most of a .NET worker's time to its first <c>next</c> (docs/design/dotnet-cold-start.md). The runtime API needs none
/// of that: loopback, HTTP/1.1, no TLS, no redirects, no proxies, no cookies, no compression.
/// Blocking calls on the loop's own thread instead of asynchronous ones because of the warm path: an asynchronous
/// receive wakes the runtime's epoll thread, which queues the continuation to the thread pool, which wakes a pool
/// thread: two hand-offs per read where a blocking read wakes the one thread that waits (docs/design/warm-path.md).
/// </remarks>
internal sealed class RuntimeApiConnection : IDisposable
{
    private const int BufferBytes = 16 * 1024;

    /// <summary>Requests up to this size (head, body and a pipelined request) are copied into one send.</summary>
    public const int CoalesceBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly EndPoint _endPoint;
    private readonly ResponseReader _reader = new();
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private byte[]? _out;

    public RuntimeApiConnection(EndPoint endPoint)
    {
        _endPoint = endPoint;
        _socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        _socket.NoDelay = true;
    }

    /// <summary>True once this connection has carried a whole exchange (a failure on it may be the server's idle close).</summary>
    public bool Reused { get; private set; }

    /// <summary>True when a byte of the current response has arrived (a request that got no answer at all may be retried).</summary>
    public bool ReceivedAny { get; private set; }

    public void Connect() => _socket.Connect(_endPoint);

    /// <summary>
    /// Sends a request — its head (encoded, ending in the blank line), its body and optionally a second request
    /// pipelined behind it — with one system call when they fit <see cref="CoalesceBytes"/> (one TCP segment the
    /// server reads at once), else part by part. Answers are read with <see cref="Read"/>, one per request, in order.
    /// </summary>
    public void Send(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> then = default)
    {
        ReceivedAny = false;
        var total = head.Length + body.Length + then.Length;
        if (total <= CoalesceBytes)
        {
            _out ??= new byte[CoalesceBytes];
            head.CopyTo(_out);
            body.CopyTo(_out.AsSpan(head.Length));
            then.CopyTo(_out.AsSpan(head.Length + body.Length));
            SendAll(_out.AsSpan(0, total));
            return;
        }

        SendAll(head);
        SendAll(body);
        SendAll(then);
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        for (var rest = data; !rest.IsEmpty;)
        {
            rest = rest[_socket.Send(rest, SocketFlags.None)..];
        }
    }

    /// <summary>
    /// Reads the answer to the oldest request sent and not yet answered, its body into <paramref name="answer"/>.
    /// <see cref="ResponseHead.KeepAlive"/> false means: do not reuse (a request pipelined behind it was not served).
    /// </summary>
    public ResponseHead Read(BodyBuffer answer)
    {
        _reader.Start(answer);
        while (true)
        {
            _start += _reader.Consume(_buffer.AsSpan(_start, _end - _start));
            if (_reader.IsComplete)
            {
                Reused = true;
                return _reader.Head!;
            }

            var direct = _reader.DirectTarget(_end - _start, BufferBytes);
            var read = _socket.Receive((direct.IsEmpty ? Room() : direct).Span, SocketFlags.None);
            if (read == 0)
            {
                _reader.EndOfStream();
                Reused = true;
                return _reader.Head!;
            }

            ReceivedAny = true;
            if (direct.IsEmpty)
            {
                _end += read;
            }
            else
            {
                _reader.Received(read);
            }
        }
    }

    /// <summary>Free space after the unread bytes, moving them to the front or growing the buffer when it is full.</summary>
    private Memory<byte> Room()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = unread > _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            _buffer = target;
            _start = 0;
            _end = unread;
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Ends a call blocked on this connection (from another thread): its send or receive fails at once.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Not connected yet, or already closed: nothing is blocked on it.
        }
    }

    public void Dispose() => _socket.Dispose();
}
