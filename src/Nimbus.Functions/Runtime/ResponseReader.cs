using System.Globalization;
using System.Text;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// Decodes one HTTP/1.1 response from its bytes as they arrive — the head, then the body (Content-Length, chunked, or
/// until the connection closes) into a <see cref="BodyBuffer"/>. Pure, no I/O: the connection feeds it what it reads.
/// </summary>
/// <remarks>
/// A state machine fed by one receive loop instead of an async method per step: every async method of the SDK costs a
/// dozen JIT-compiled generic instantiations at a cold start, which ReadyToRun cannot precompile.
/// </remarks>
internal sealed class ResponseReader
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int MaxLineBytes = 1024;

    private State _state;
    private BodyBuffer? _body;
    private long _remaining;

    private enum State
    {
        Head,
        Length,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        UntilClose,
        Done,
    }

    /// <summary>The response's head, once it has been read.</summary>
    public ResponseHead? Head { get; private set; }

    public bool IsComplete => _state == State.Done;

    /// <summary>Starts a new response whose body goes into <paramref name="body"/> (emptied).</summary>
    public void Start(BodyBuffer body)
    {
        _body = body;
        body.Length = 0;
        Head = null;
        _state = State.Head;
        _remaining = 0;
    }

    /// <summary>Where to receive the next bytes directly, skipping a copy: the body's free space while a long
    /// Content-Length body is read and nothing else is buffered; empty otherwise.</summary>
    public Memory<byte> DirectTarget(int buffered, int threshold) =>
        _state == State.Length && buffered == 0 && _remaining >= threshold ? _body!.Free(_remaining)[..(int)_remaining] : Memory<byte>.Empty;

    /// <summary>Counts <paramref name="count"/> bytes received into <see cref="DirectTarget"/>.</summary>
    public void Received(int count)
    {
        _body!.Length += count;
        _remaining -= count;
        if (_remaining == 0)
        {
            _state = State.Done;
        }
    }

    /// <summary>Consumes what it can of <paramref name="data"/>; returns how many bytes it used (the rest is needed
    /// again with more bytes after it, or belongs to the next response once <see cref="IsComplete"/>).</summary>
    /// <exception cref="IOException">The bytes are not a valid response.</exception>
    public int Consume(ReadOnlySpan<byte> data)
    {
        var used = 0;
        while (_state != State.Done)
        {
            var rest = data[used..];
            switch (_state)
            {
                case State.Head:
                    var end = rest.IndexOf("\r\n\r\n"u8);
                    if (end < 0)
                    {
                        return rest.Length >= MaxHeadBytes ? throw new IOException($"the runtime API sent a response head over {MaxHeadBytes} bytes") : used;
                    }

                    Head = ResponseHead.Parse(rest[..(end + 4)]);
                    used += end + 4;
                    _remaining = Head.ContentLength;
                    _state = Head.Framing switch
                    {
                        BodyFraming.Length => State.Length,
                        BodyFraming.Chunked => State.ChunkSize,
                        BodyFraming.UntilClose => State.UntilClose,
                        _ => State.Done,
                    };
                    break;
                case State.Length or State.ChunkData:
                    if (rest.IsEmpty)
                    {
                        return used;
                    }

                    var take = (int)Math.Min(_remaining, rest.Length);
                    rest[..take].CopyTo(_body!.Free(take).Span);
                    _body.Length += take;
                    _remaining -= take;
                    used += take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.Length ? State.Done : State.ChunkEnd;
                    }

                    break;
                case State.UntilClose:
                    rest.CopyTo(_body!.Free(rest.Length).Span);
                    _body.Length += rest.Length;
                    return used + rest.Length;
                case State.ChunkEnd:
                    if (rest.Length < 2)
                    {
                        return used;
                    }

                    if (!rest.StartsWith("\r\n"u8))
                    {
                        throw new IOException("the runtime API sent a chunk without its closing CRLF");
                    }

                    used += 2;
                    _state = State.ChunkSize;
                    break;
                case State.ChunkSize or State.Trailers:
                    var lineEnd = rest.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        return rest.Length >= MaxLineBytes ? throw new IOException("the runtime API sent a chunk line over 1 KB") : used;
                    }

                    used += lineEnd + 2;
                    if (_state == State.Trailers)
                    {
                        // Trailers, if any, end with an empty line.
                        _state = lineEnd == 0 ? State.Done : State.Trailers;
                        break;
                    }

                    _remaining = ChunkSize(rest[..lineEnd]);
                    _state = _remaining == 0 ? State.Trailers : State.ChunkData;
                    break;
            }
        }

        return used;
    }

    /// <summary>The connection ended: that completes a body that runs until the close, and is an error otherwise.</summary>
    /// <exception cref="IOException">The response was not complete.</exception>
    public void EndOfStream()
    {
        switch (_state)
        {
            case State.UntilClose or State.Done:
                _state = State.Done;
                return;
            case State.Head:
                throw new IOException("the runtime API closed the connection before answering");
            default:
                throw new IOException("the runtime API closed the connection in the middle of a body");
        }
    }

    private static long ChunkSize(ReadOnlySpan<byte> line)
    {
        var extension = line.IndexOf((byte)';');
        var size = (extension >= 0 ? line[..extension] : line).Trim(" \t"u8);
        if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new IOException($"the runtime API sent a malformed chunk size '{Encoding.ASCII.GetString(size)}'");
        }

        return value;
    }
}
