using System.Text;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>The I/O-free HTTP/1.1 response decoder, fed bytes in pieces as a socket would deliver them.</summary>
public sealed class ResponseReaderTests
{
    private const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nA;x=y\r\n, world!!!\r\n0\r\nTrailer: t\r\n\r\n";

    /// <summary>Feeds <paramref name="raw"/> in pieces of <paramref name="piece"/> bytes, keeping what was not consumed.</summary>
    private static (ResponseReader Reader, BodyBuffer Body, int Leftover) Feed(string raw, int piece, bool close = false)
    {
        var bytes = Encoding.ASCII.GetBytes(raw);
        var reader = new ResponseReader();
        var body = new BodyBuffer(4);
        reader.Start(body);
        var pending = new List<byte>();
        for (var i = 0; i < bytes.Length && !reader.IsComplete; i += piece)
        {
            pending.AddRange(bytes.Skip(i).Take(piece));
            var used = reader.Consume(pending.ToArray());
            pending.RemoveRange(0, used);
        }

        if (close && !reader.IsComplete)
        {
            reader.EndOfStream();
        }

        return (reader, body, pending.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void AChunkedBody_IsDecoded_HoweverTheBytesArrive(int piece)
    {
        var (reader, body, leftover) = Feed(Chunked, piece);

        Assert.True(reader.IsComplete);
        Assert.Equal("hello, world!!!", Encoding.ASCII.GetString(body.Memory.Span));
        Assert.Equal(0, leftover);
    }

    [Fact]
    public void AContentLengthBody_StopsAtItsLength_LeavingTheNextResponsesBytes()
    {
        var (reader, body, leftover) = Feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1", 4096);

        Assert.True(reader.IsComplete);
        Assert.Equal("abc", Encoding.ASCII.GetString(body.Memory.Span));
        Assert.Equal("HTTP/1.1".Length, leftover);
    }

    [Fact]
    public void ABodyWithoutLength_EndsWithTheStream()
    {
        var (reader, body, _) = Feed("HTTP/1.1 200 OK\r\n\r\nto the end", 2, close: true);

        Assert.True(reader.IsComplete);
        Assert.False(reader.Head!.KeepAlive);
        Assert.Equal("to the end", Encoding.ASCII.GetString(body.Memory.Span));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-")]
    public void TheStreamEndingEarly_IsAnIOException(string raw) =>
        Assert.Throws<IOException>(() => Feed(raw, 4096, close: true));

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n")]
    public void AMalformedChunk_IsAnIOException(string raw) =>
        Assert.Throws<IOException>(() => Feed(raw, 4096));
}
