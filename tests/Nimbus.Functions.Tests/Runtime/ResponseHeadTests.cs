using System.Text;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

public sealed class ResponseHeadTests
{
    private static ResponseHead Parse(string head) => ResponseHead.Parse(Encoding.ASCII.GetBytes(head));

    [Fact]
    public void HeaderNames_AreCaseInsensitive_AndRepeatedHeadersAreJoined()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nX-Thing: a\r\nx-thing:  b \r\nContent-Length: 3\r\n\r\n");

        Assert.Equal(200, head.StatusCode);
        Assert.Equal("a, b", head.Header("X-THING"));
        Assert.Null(head.Header("missing"));
        Assert.Equal(BodyFraming.Length, head.Framing);
        Assert.Equal(3, head.ContentLength);
        Assert.True(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Chunked", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\n", "Length", false)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", "UntilClose", false)]
    public void Framing_FollowsTheHeaders(string raw, string framing, bool keepAlive)
    {
        var head = Parse(raw);

        Assert.Equal(framing, head.Framing.ToString());
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n")]
    public void AMalformedHead_IsAnIOException(string raw) =>
        Assert.Throws<IOException>(() => Parse(raw));
}
