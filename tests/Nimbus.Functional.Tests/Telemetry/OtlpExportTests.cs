using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>With an OTLP endpoint configured, the OpenTelemetry SDK pushes the invocation metrics to it.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Up_WithOtlpEndpoint_PushesInvocationMetricsOverOtlpHttp()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
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

        await using var nimbus = await NimbusTestServer.StartAsync(o => o with
        {
            OtlpEndpoint = new Uri($"http://127.0.0.1:{port}/"),
            OtlpExportInterval = TimeSpan.FromMilliseconds(500),
        });
        await nimbus.DeployNodeAsync("otlp-fn");
        await nimbus.InvokeAsync("otlp-fn", new { action = "echo" });

        // The concurrency gauge may name the function before the invocation's record reaches the meter: wait for an
        // export with the invocation counter of this function.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (string Path, string? ContentType, byte[] Body) post;
        try
        {
            do
            {
                post = await posts.Reader.ReadAsync(timeout.Token);
            }
            while (!(Contains(post.Body, "otlp-fn") && Contains(post.Body, "nimbus.invocations")));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("no OTLP export with nimbus.invocations for otlp-fn arrived within 30 s");
            throw;
        }

        Assert.Equal("/v1/metrics", post.Path);
        Assert.Equal("application/x-protobuf", post.ContentType);
        Assert.True(Contains(post.Body, "nimbus.invocation.duration"), "the export names the duration histogram");
        Assert.True(Contains(post.Body, "service.name"), "the export carries the service resource");
    }

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
