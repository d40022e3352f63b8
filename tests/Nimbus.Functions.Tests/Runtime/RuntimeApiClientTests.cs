using System.Net;
using System.Net.Sockets;
using System.Text;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>The SDK's socket-level runtime API client against a server that writes each response byte by hand.</summary>
public sealed class RuntimeApiClientTests
{
    private const string NextLine = "GET /2018-06-01/runtime/invocation/next HTTP/1.1";

    [Fact]
    public async Task Next_ReadsTheInvocationHeaders_AndAContentLengthBody()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = client.NextAsync(CancellationToken.None);
        using var connection = await server.AcceptAsync();
        var request = await connection.ReadRequestAsync();
        await connection.WriteAsync(
            "HTTP/1.1 200 OK\r\nlambda-runtime-aws-request-id: req-1\r\nLambda-Runtime-Deadline-Ms: 1700000000123\r\n" +
            "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f\r\n" +
            "Lambda-Runtime-Trace-Id: Root=1-abc\r\ntraceparent: 00-aa-bb-01\r\ntracestate: nimbus=1\r\n" +
            "Lambda-Runtime-Client-Context: {\"c\":1}\r\nContent-Length: 11\r\n\r\n{\"a\":\"xyz\"}");

        var invocation = await next;

        Assert.Equal(NextLine, request.RequestLine);
        Assert.Equal(server.Address, request.Headers["host"]);
        Assert.Equal("req-1", invocation.RequestId);
        Assert.Equal(1700000000123, invocation.DeadlineUnixMs);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:f", invocation.InvokedFunctionArn);
        Assert.Equal("Root=1-abc", invocation.TraceId);
        Assert.Equal("00-aa-bb-01", invocation.TraceParent);
        Assert.Equal("nimbus=1", invocation.TraceState);
        Assert.Equal("{\"c\":1}", invocation.ClientContext);
        Assert.Equal("{\"a\":\"xyz\"}", Encoding.UTF8.GetString(invocation.Payload.Span));
    }

    [Fact]
    public async Task Next_ReadsAChunkedBody_AndTheSameConnectionCarriesThePost()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = client.NextAsync(CancellationToken.None);
        using var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await connection.WriteAsync(
            "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-2\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
        var invocation = await next;
        Assert.Equal("hello, world", Encoding.UTF8.GetString(invocation.Payload.Span));

        var post = client.PostResponseAsync("req-2", "\"done\""u8.ToArray(), CancellationToken.None);
        var posted = await connection.ReadRequestAsync();
        await connection.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n");
        await post;

        Assert.Equal("POST /2018-06-01/runtime/invocation/req-2/response HTTP/1.1", posted.RequestLine);
        Assert.Equal("application/json", posted.Headers["content-type"]);
        Assert.Equal("\"done\"", posted.Body);
    }

    [Fact]
    public async Task ABodyWithoutLength_RunsToTheClose_AndTheNextCallConnectsAgain()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = client.NextAsync(CancellationToken.None);
        using (var first = await server.AcceptAsync())
        {
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-3\r\n\r\n[1,2,3]");
        }

        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString((await next).Payload.Span));

        var post = client.PostResponseAsync("req-3", "{}"u8.ToArray(), CancellationToken.None);
        using var second = await server.AcceptAsync();
        var posted = await second.ReadRequestAsync();
        await second.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        await post;
        Assert.Equal("{}", posted.Body);
    }

    [Fact]
    public async Task APostOnAConnectionTheServerClosedWhileIdle_IsSentAgainOnANewOne()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = client.NextAsync(CancellationToken.None);
        using (var first = await server.AcceptAsync())
        {
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-4\r\nContent-Length: 2\r\n\r\n{}");
            await next;
        }

        // The kept-alive connection is now closed by the server, as an idle timeout would.
        var post = client.PostErrorAsync("req-4", "{\"errorType\":\"Boom\"}"u8.ToArray(), "My.Boom\r\nX-Injected: 1", CancellationToken.None);
        using var second = await server.AcceptAsync();
        var posted = await second.ReadRequestAsync();
        await second.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        await post;

        Assert.Equal("POST /2018-06-01/runtime/invocation/req-4/error HTTP/1.1", posted.RequestLine);
        Assert.Equal("My.Boom  X-Injected: 1", posted.Headers["lambda-runtime-function-error-type"]);
        Assert.False(posted.Headers.ContainsKey("x-injected"));
        Assert.Equal("{\"errorType\":\"Boom\"}", posted.Body);
    }

    [Fact]
    public async Task NextThatIsNotOk_IsARuntimeApiException()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = client.NextAsync(CancellationToken.None);
        using var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await connection.WriteAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops");

        var exception = await Assert.ThrowsAsync<RuntimeApiException>(() => next);
        Assert.Contains("500", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableRuntimeApi_IsAnIOException()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var client = new RuntimeApiClient($"127.0.0.1:{port}");
        await Assert.ThrowsAsync<IOException>(() => client.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CancellingALongPoll_EndsIt()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        using var stop = new CancellationTokenSource();
        var next = client.NextAsync(stop.Token);
        using var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    public void AnAddressWithoutAPort_IsRefused(string address) =>
        Assert.Throws<ArgumentException>(() => new RuntimeApiClient(address));
}
