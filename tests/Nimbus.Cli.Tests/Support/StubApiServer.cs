using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Nimbus.Cli.Tests.Support;

/// <summary>A real Kestrel on a free port that answers canned API responses and records every request it got.</summary>
internal sealed class StubApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, StubResponse>> _routes = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private StubApiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Raised after each request is recorded (before it is answered), for tests that wait on traffic.</summary>
    public event Action<RecordedRequest>? RequestReceived;

    public static async Task<StubApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new StubApiServer(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (path without query) with a fixed response.</summary>
    public StubApiServer On(string method, string path, int status, string? body = null, IReadOnlyDictionary<string, string>? headers = null, string contentType = "application/json") =>
        On(method, path, _ => new StubResponse(status, body, headers, contentType));

    public StubApiServer On(string method, string path, Func<RecordedRequest, StubResponse> respond)
    {
        _routes[$"{method} {path}"] = respond;
        return this;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.ContentType,
            buffer.ToArray());
        _requests.Enqueue(request);
        RequestReceived?.Invoke(request);

        var response = _routes.TryGetValue($"{request.Method} {request.Path}", out var respond)
            ? respond(request)
            : new StubResponse(404, """{"title":"Not Found","status":404,"detail":"stub has no answer"}""", null, "application/problem+json");
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Bytes is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.Body.WriteAsync(response.Bytes);
        }
        else if (response.Body is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body);
        }
    }
}
