using System.Net;
using System.Net.Sockets;
using System.Text;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>The SDK's socket-level runtime API client against a server that writes each response byte by hand.</summary>
/// <remarks>The client blocks its caller's thread (each runtime loop has its own), so every call runs on a thread of its own here.</remarks>
public sealed class RuntimeApiClientTests
{
    private const string NextLine = "GET /2018-06-01/runtime/invocation/next HTTP/1.1";
    private readonly BodyBuffer _payload = new(64);

    private static Task<T> OnItsOwnThread<T>(Func<T> call) => Task.Factory.StartNew(call, TaskCreationOptions.LongRunning);

    /// <summary>A loop's first event: the client asks, the server answers <paramref name="requestId"/> with <c>{}</c>.</summary>
    private async Task<ScriptedConnection> AnswerFirstNextAsync(ScriptedHttpServer server, RuntimeApiClient client, string requestId)
    {
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
        var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await connection.WriteAsync($"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: {requestId}\r\nContent-Length: 2\r\n\r\n{{}}");
        Assert.Equal(requestId, (await next).RequestId);
        return connection;
    }

    /// <summary>The server's side of a post with the next <c>next</c> behind it: reads both, answers 202, then <paramref name="nextRequestId"/>.</summary>
    private static async Task<(RecordedRequest Posted, RecordedRequest Asked)> AnswerPostAndNextAsync(ScriptedConnection connection, string nextRequestId)
    {
        var posted = await connection.ReadRequestAsync();
        var asked = await connection.ReadRequestAsync();
        await connection.WriteAsync(
            "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n" +
            $"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: {nextRequestId}\r\nContent-Length: 2\r\n\r\n{{}}");
        return (posted, asked);
    }

    [Fact]
    public async Task Next_ReadsTheInvocationHeaders_AndAContentLengthBody()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
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
    public async Task APostedResponse_CarriesTheNextNextBehindIt_OnTheSameConnection_BeforeItsAnswer()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
        using var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await connection.WriteAsync(
            "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-2\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
        var invocation = await next;
        Assert.Equal("hello, world", Encoding.UTF8.GetString(invocation.Payload.Span));

        // The response echoes the payload's own memory, which the next event is read into: it must be sent first.
        var following = OnItsOwnThread(() => client.PostResponseThenNext("req-2", invocation.Payload.Span, _payload, CancellationToken.None));
        var posted = await connection.ReadRequestAsync();
        var asked = await connection.ReadRequestAsync(); // arrives although the post has no answer yet
        await connection.WriteAsync(
            "HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n" +
            "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-3\r\nContent-Length: 7\r\n\r\n\"again\"");
        var second = await following;

        Assert.Equal("POST /2018-06-01/runtime/invocation/req-2/response HTTP/1.1", posted.RequestLine);
        Assert.Equal("application/json", posted.Headers["content-type"]);
        Assert.Equal("hello, world", posted.Body);
        Assert.Equal(NextLine, asked.RequestLine);
        Assert.Equal("req-3", second.RequestId);
        Assert.Equal("\"again\"", Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact]
    public async Task AResponseLargerThanOneSend_ArrivesWhole_WithTheNextNextBehindIt()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        using var connection = await AnswerFirstNextAsync(server, client, "big-1");

        // Three times what one send carries, in letters that change every byte, so a part sent twice or out of order shows.
        var body = "\"" + string.Concat(Enumerable.Range(0, 3 * RuntimeApiConnection.CoalesceBytes).Select(i => (char)('a' + i % 26))) + "\"";
        var following = OnItsOwnThread(() => client.PostResponseThenNext("big-1", Encoding.UTF8.GetBytes(body), _payload, CancellationToken.None));
        var (posted, asked) = await AnswerPostAndNextAsync(connection, "big-2");

        Assert.Equal(body, posted.Body);
        Assert.Equal(NextLine, asked.RequestLine);
        Assert.Equal("big-2", (await following).RequestId);
    }

    [Fact]
    public async Task ABodyWithoutLength_RunsToTheClose_AndTheNextCallConnectsAgain()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
        using (var first = await server.AcceptAsync())
        {
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-3\r\n\r\n[1,2,3]");
        }

        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString((await next).Payload.Span));

        var following = OnItsOwnThread(() => client.PostResponseThenNext("req-3", "{}"u8, _payload, CancellationToken.None));
        using var second = await server.AcceptAsync();
        var (posted, _) = await AnswerPostAndNextAsync(second, "req-4");
        Assert.Equal("req-4", (await following).RequestId);
        Assert.Equal("{}", posted.Body);
    }

    [Fact]
    public async Task APostOnAConnectionTheServerClosedWhileIdle_IsSentAgainOnANewOne()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
        using (var first = await server.AcceptAsync())
        {
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-4\r\nContent-Length: 2\r\n\r\n{}");
            await next;
        }

        // The kept-alive connection is now closed by the server, as an idle timeout would.
        var following = OnItsOwnThread(() => client.PostErrorThenNext(
            "req-4", "{\"errorType\":\"Boom\"}"u8, "My.Boom\r\nX-Injected: 1", _payload, CancellationToken.None));
        using var second = await server.AcceptAsync();
        var (posted, _) = await AnswerPostAndNextAsync(second, "req-5");
        await following;

        Assert.Equal("POST /2018-06-01/runtime/invocation/req-4/error HTTP/1.1", posted.RequestLine);
        Assert.Equal("My.Boom  X-Injected: 1", posted.Headers["lambda-runtime-function-error-type"]);
        Assert.False(posted.Headers.ContainsKey("x-injected"));
        Assert.Equal("{\"errorType\":\"Boom\"}", posted.Body);
    }

    [Fact]
    public async Task APostAnsweredWithConnectionClose_AsksForTheNextEventAgain_OnANewConnection()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var first = await AnswerFirstNextAsync(server, client, "req-6");

        // A server that refuses the post and closes the connection never served the request pipelined behind it.
        var following = OnItsOwnThread(() => client.PostResponseThenNext("req-6", "{}"u8, _payload, CancellationToken.None));
        await first.ReadRequestAsync();
        await first.WriteAsync("HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        first.Dispose();
        using var second = await server.AcceptAsync();
        var asked = await second.ReadRequestAsync();
        await second.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-7\r\nContent-Length: 2\r\n\r\n[]");

        Assert.Equal(NextLine, asked.RequestLine);
        Assert.Equal("req-7", (await following).RequestId);
    }

    [Fact]
    public async Task NextThatIsNotOk_IsARuntimeApiException()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        var next = OnItsOwnThread(() => client.Next(_payload, CancellationToken.None));
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
        await Assert.ThrowsAsync<IOException>(() => OnItsOwnThread(() => client.Next(_payload, CancellationToken.None)));
    }

    [Fact]
    public async Task CancellingALongPoll_EndsTheBlockedCall()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient(server.Address);
        using var stop = new CancellationTokenSource();
        var next = OnItsOwnThread(() => client.Next(_payload, stop.Token));
        using var connection = await server.AcceptAsync();
        await connection.ReadRequestAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AHostNameAddress_IsResolvedAndConnected()
    {
        using var server = new ScriptedHttpServer();
        using var client = new RuntimeApiClient("localhost:" + server.Address.Split(':')[1]);

        using var connection = await AnswerFirstNextAsync(server, client, "req-8");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    public void AnAddressWithoutAPort_IsRefused(string address) =>
        Assert.Throws<ArgumentException>(() => new RuntimeApiClient(address));
}
