using System.Net;
using System.Net.Sockets;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// One keep-alive HTTP/1.1 connection to the runtime API over a plain socket: writes a request, reads one response.
/// Not thread-safe; <see cref="RuntimeApiClient"/> hands each call a connection of its own.
/// </summary>
/// <remarks>
/// A plain socket instead of <c>HttpClient</c> because of the cold start: <c>SocketsHttpHandler</c> loads and JITs
/// System.Net.Http, System.Net.Security, cryptography, name resolution and diagnostics before its first request,
/// most of a .NET worker's time to its first <c>next</c> (docs/design/dotnet-cold-start.md). The runtime API needs none
/// of that: loopback, HTTP/1.1, no TLS, no redirects, no proxies, no cookies, no compression.
/// </remarks>
internal sealed class RuntimeApiConnection : IDisposable
{
    private const int BufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly EndPoint _endPoint;
    private readonly ResponseReader _reader = new();
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;

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

    public ValueTask ConnectAsync(CancellationToken cancellationToken) => _socket.ConnectAsync(_endPoint, cancellationToken);

    /// <summary>
    /// Sends one request — its head (encoded, ending in the blank line) and its body — and reads the response, its
    /// body into <paramref name="answer"/>. <see cref="ResponseHead.KeepAlive"/> false means: do not reuse.
    /// </summary>
    public async Task<ResponseHead> ExchangeAsync(ReadOnlyMemory<byte> request, ReadOnlyMemory<byte> body, BodyBuffer answer,
        CancellationToken cancellationToken)
    {
        ReceivedAny = false;
        for (var rest = request; !rest.IsEmpty;)
        {
            rest = rest[await _socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }

        for (var rest = body; !rest.IsEmpty;)
        {
            rest = rest[await _socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }

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
            var read = await _socket.ReceiveAsync(direct.IsEmpty ? Room() : direct, SocketFlags.None, cancellationToken).ConfigureAwait(false);
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

    public void Dispose() => _socket.Dispose();
}
