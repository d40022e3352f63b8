using System.Globalization;
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
    private const int MaxHeadBytes = 64 * 1024;

    private readonly Socket _socket;
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    private RuntimeApiConnection(Socket socket) => _socket = socket;

    /// <summary>True once this connection has carried a whole exchange (a failure on it may be the server's idle close).</summary>
    public bool Reused { get; private set; }

    /// <summary>True when a byte of the current response has arrived (a request that got no answer at all may be retried).</summary>
    public bool ReceivedAny { get; private set; }

    public static async Task<RuntimeApiConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new RuntimeApiConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request: the head (already encoded, ending in the blank line) and its body.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ReceivedAny = false;
        await SendAllAsync(request, cancellationToken).ConfigureAwait(false);
        if (!body.IsEmpty)
        {
            await SendAllAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one response: its head, and its body into <paramref name="body"/> (whose length is reset).</summary>
    /// <returns>The head; <see cref="ResponseHead.KeepAlive"/> false means the connection must not be reused.</returns>
    public async Task<ResponseHead> ReceiveAsync(BodyBuffer body, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        body.Length = 0;
        switch (head.Framing)
        {
            case BodyFraming.Length:
                await ReadExactlyAsync(body, head.ContentLength, cancellationToken).ConfigureAwait(false);
                break;
            case BodyFraming.Chunked:
                await ReadChunkedAsync(body, cancellationToken).ConfigureAwait(false);
                break;
            case BodyFraming.UntilClose:
                await ReadToCloseAsync(body, cancellationToken).ConfigureAwait(false);
                break;
            case BodyFraming.None:
                break;
        }

        Reused = true;
        return head;
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private async Task<ResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var end = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var length = searched + end + 4;
                var head = ResponseHead.Parse(_buffer.AsSpan(_start, length));
                _start += length;
                return head;
            }

            // The terminator may straddle the next read: search again from three bytes before the end.
            searched = Math.Max(0, _end - _start - 3);
            if (_end - _start >= MaxHeadBytes)
            {
                throw new IOException($"the runtime API sent a response head over {MaxHeadBytes} bytes");
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the runtime API closed the connection before answering");
            }
        }
    }

    private async Task ReadExactlyAsync(BodyBuffer body, long length, CancellationToken cancellationToken)
    {
        var target = body.Free(length)[..(int)length];
        var buffered = Math.Min(_end - _start, target.Length);
        _buffer.AsSpan(_start, buffered).CopyTo(target.Span);
        _start += buffered;
        var filled = buffered;
        while (filled < target.Length)
        {
            var read = await _socket.ReceiveAsync(target[filled..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the runtime API closed the connection in the middle of a body");
            }

            filled += read;
        }

        body.Length += (int)length;
    }

    private async Task ReadChunkedAsync(BodyBuffer body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var sizeEnd = line.IndexOf(';');
            var sizeText = (sizeEnd >= 0 ? line[..sizeEnd] : line).Trim();
            if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new IOException($"the runtime API sent a malformed chunk size '{sizeText}'");
            }

            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                return;
            }

            await ReadExactlyAsync(body, size, cancellationToken).ConfigureAwait(false);
            if ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new IOException("the runtime API sent a chunk without its closing CRLF");
            }
        }
    }

    private async Task ReadToCloseAsync(BodyBuffer body, CancellationToken cancellationToken)
    {
        var buffered = _end - _start;
        _buffer.AsSpan(_start, buffered).CopyTo(body.Free(buffered).Span);
        body.Length += buffered;
        _start = _end = 0;
        while (true)
        {
            var read = await _socket.ReceiveAsync(body.Free(4096), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            body.Length += read;
        }
    }

    /// <summary>The next line without its CRLF (chunk sizes and trailers: short ASCII).</summary>
    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = System.Text.Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            if (_end - _start >= MaxHeadBytes)
            {
                throw new IOException("the runtime API sent a chunk line over 64 KB");
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the runtime API closed the connection in the middle of a chunked body");
            }
        }
    }

    /// <summary>Reads more bytes after the unread ones (moving or growing the buffer as needed); false at end of stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
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

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return false;
        }

        ReceivedAny = true;
        _end += read;
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
