using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>A fake of the platform's side of the Lambda Runtime API, on Kestrel at a free loopback port.</summary>
public sealed class RuntimeApiStub : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly Channel<QueuedEvent> _events = Channel.CreateUnbounded<QueuedEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _posted = new();
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _nextCalls;

    public string Address { get; private set; } = "";

    public int NextCalls => Volatile.Read(ref _nextCalls);

    public static async Task<RuntimeApiStub> StartAsync()
    {
        var stub = new RuntimeApiStub();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.MapGet("/2018-06-01/runtime/invocation/next", (HttpContext http) => stub.NextAsync(http, stopping));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", (HttpContext http, string id, string kind) =>
            RecordAsync(http, stub.Slot(id), kind));
        app.MapPost("/2018-06-01/runtime/init/error", (HttpContext http) => RecordAsync(http, stub._initError, "error"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        stub.Address = new Uri(address).Authority;
        stub._app = app;
        return stub;
    }

    /// <summary>Queues an event; returns its request id.</summary>
    public string Enqueue(string body, TimeSpan timeout, string? traceId = null, string? traceParent = null, string? requestId = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        var deadline = DateTimeOffset.UtcNow.Add(timeout).ToUnixTimeMilliseconds();
        _events.Writer.TryWrite(new QueuedEvent(requestId, deadline, body, traceId, traceParent));
        return requestId;
    }

    public Task<PostedResult> WaitPostedAsync(string requestId) => Slot(requestId).Task.WaitAsync(s_wait);

    public Task<PostedResult> WaitInitErrorAsync() => _initError.Task.WaitAsync(s_wait);

    public bool HasPosted(string requestId) => _posted.TryGetValue(requestId, out var slot) && slot.Task.IsCompleted;

    public async Task<PostedResult> InvokeAsync(string body, TimeSpan? timeout = null)
    {
        var id = Enqueue(body, timeout ?? TimeSpan.FromSeconds(10));
        return await WaitPostedAsync(id);
    }

    private TaskCompletionSource<PostedResult> Slot(string requestId) =>
        _posted.GetOrAdd(requestId, _ => new TaskCompletionSource<PostedResult>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task NextAsync(HttpContext http, CancellationToken stopping)
    {
        Interlocked.Increment(ref _nextCalls);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        QueuedEvent queued;
        try
        {
            queued = await _events.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The platform is going away: drop the long poll without an answer.
            http.Abort();
            return;
        }

        var headers = http.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = queued.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = queued.DeadlineUnixMs.ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:local:000000000000:function:fixture:live";
        if (queued.TraceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = queued.TraceId;
        }

        if (queued.TraceParent is not null)
        {
            headers["traceparent"] = queued.TraceParent;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(queued.Body);
    }

    private static async Task RecordAsync(HttpContext http, TaskCompletionSource<PostedResult> slot, string kind)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var errorType = http.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        slot.TrySetResult(new PostedResult(kind, body, errorType.Length == 0 ? null : errorType));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        await http.Response.WriteAsync("""{"status":"OK"}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private sealed record QueuedEvent(string RequestId, long DeadlineUnixMs, string Body, string? TraceId, string? TraceParent);
}
