using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>
/// With an OTLP endpoint configured, every stored span goes to <c>{endpoint}/v1/traces</c> as OTLP/HTTP JSON: a real
/// HTTP listener receives the invocation's spans with the caller's trace id and the platform's parent-child links.
/// </summary>
public sealed class OtlpTraceExportTests
{
    [Fact]
    public async Task Up_WithOtlpEndpoint_ExportsTheInvocationSpansAsOtlpJson_UnderTheCallersTrace()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/collector/");
        listener.Start();
        var posts = Channel.CreateUnbounded<(string Path, string? ContentType, byte[] Body)>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                await posts.Writer.WriteAsync((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { OtlpEndpoint = new Uri($"http://127.0.0.1:{port}/collector") });
        await nimbus.DeployNodeAsync("otlp-traces-fn");
        var traceId = TraceContext.NewSpanId() + TraceContext.NewSpanId();
        var callerSpan = TraceContext.NewSpanId();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/otlp-traces-fn/invoke")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
            var response = await nimbus.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Spans of the trace may arrive over several exports (the writer batches every 100 ms): gather until the
        // invocation span and its execute phase are both in.
        var received = new List<SpanRecord>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (!(received.Any(s => s.Kind == "Server") && received.Any(s => s.Name == SpanNames.Execute)))
            {
                var post = await posts.Reader.ReadAsync(timeout.Token);
                Assert.Equal("/collector/v1/traces", post.Path);
                Assert.Equal("application/json", post.ContentType);
                var spans = OtlpJsonSpans.Parse(post.Body, null, out var error);
                Assert.True(spans is not null, "the export is OTLP JSON the receiver reads: " + error);
                received.AddRange(spans!.Where(s => s.TraceId == traceId));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the invocation's spans were not exported within 30 s; got {string.Join(", ", received.Select(s => s.Name))}");
        }

        var invocation = Assert.Single(received, s => s.Kind == "Server");
        Assert.Equal("otlp-traces-fn", invocation.Name);
        Assert.Equal(callerSpan, invocation.ParentSpanId);
        Assert.Equal("otlp-traces-fn", invocation.Attributes[SpanNames.FaasName]);
        Assert.Equal(OtlpJsonTraceWriter.PlatformServiceName, invocation.Attributes["service.name"]);
        Assert.Equal(invocation.SpanId, received.Single(s => s.Name == SpanNames.Execute).ParentSpanId);
        Assert.True(invocation.DurationMs > 0, "the invocation span has its duration");
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
