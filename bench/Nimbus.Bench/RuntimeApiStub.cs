using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nimbus.Bench;

/// <summary>
/// A stand-in for Nimbus's runtime API (Lambda Runtime API 2018-06-01) for one worker start: hands exactly one event
/// to the worker and timestamps its first <c>next</c> and its response. One stub per worker, on its own port, as
/// Nimbus gives each instance its own address: a killed worker's last request can then never take the next
/// worker's event.
/// </summary>
public sealed class RuntimeApiStub : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private readonly WebApplication _app;
    private readonly byte[] _event;
    private readonly string _requestId = Guid.NewGuid().ToString();
    private int _nextServed;

    private RuntimeApiStub(WebApplication app, byte[] eventPayload)
    {
        _app = app;
        _event = eventPayload;
    }

    /// <summary><c>host:port</c>, the form AWS_LAMBDA_RUNTIME_API takes.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Stopwatch timestamp of the worker's first <c>GET …/invocation/next</c>.</summary>
    public TaskCompletionSource<long> FirstNext { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stopwatch timestamp and body of the worker's response to the event.</summary>
    public TaskCompletionSource<(long At, string Body)> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<RuntimeApiStub> StartAsync(byte[] eventPayload, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new RuntimeApiStub(app, eventPayload);
        app.Run(stub.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses.First()
            : null;
        stub.Address = new Uri(address ?? throw new InvalidOperationException("The stub runtime API has no address.")).Authority;
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "";
        if (HttpMethods.IsGet(context.Request.Method) && path == Prefix + "/invocation/next")
        {
            if (Interlocked.Exchange(ref _nextServed, 1) == 0)
            {
                FirstNext.TrySetResult(now);
                var headers = context.Response.Headers;
                headers["Lambda-Runtime-Aws-Request-Id"] = _requestId;
                headers["Lambda-Runtime-Deadline-Ms"] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 10_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:local:000000000000:function:bench-bare";
                headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000;Sampled=0";
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = _event.Length;
                await context.Response.Body.WriteAsync(_event, context.RequestAborted);
                return;
            }
            // The worker is waiting for its second event: hold it until the harness stops the worker.
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method) && path.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            if (path == $"{Prefix}/invocation/{_requestId}/response")
            {
                Response.TrySetResult((now, body));
            }
            else
            {
                Response.TrySetException(new BenchFailure($"worker reported {path}: {body}"));
            }
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
