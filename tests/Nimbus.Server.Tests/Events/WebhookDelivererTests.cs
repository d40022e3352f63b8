using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Events;
using Nimbus.Server.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Events;

/// <summary>
/// Webhook deliveries against a real HTTP listener (Kestrel on a free port) and a real SQLite store; the retry schedule
/// runs on a fake clock, so each attempt happens exactly when its delay has passed.
/// </summary>
public sealed class WebhookDelivererTests : IAsyncLifetime
{
    private static readonly byte[] s_record = Encoding.UTF8.GetBytes("""{"version":"1.0","requestContext":{"requestId":"r-1","condition":"RetriesExhausted"}}""");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-webhook-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly AsyncEventOptions _options = new() { WebhookRetryDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)] };
    private WebApplication? _listener;
    private SqliteStore? _store;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _listener = builder.Build();
        _listener.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue(new Received(body.ToArray(), context.Request.Headers[WebhookSignature.SignatureHeader].ToString(),
                long.Parse(context.Request.Headers[WebhookSignature.TimestampHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                context.Request.Headers[WebhookSignature.DeliveryHeader].ToString()));
            context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : 200;
        });
        await _listener.StartAsync();
        var address = _listener.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = $"{address}/hook";
        _store = await OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Delivery_IsSignedWithTheFunctionsSecret_AndRetriedAfterItsDelayOnA5xx()
    {
        var webhooks = new SqliteWebhookStore(_store!);
        using var deliverer = NewDeliverer(webhooks);
        _answers.Enqueue(503);
        await deliverer.EnqueueAsync("orders", "r-1", _url, "RetriesExhausted", s_record, CancellationToken.None);

        Assert.Equal(1, await deliverer.TickAsync(CancellationToken.None));

        var first = Assert.Single(_received);
        var secret = await webhooks.GetOrCreateSecretAsync("orders", _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(s_record, first.Body);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), first.Timestamp);
        Assert.True(WebhookSignature.Verify(secret, first.Timestamp, first.Body, first.Signature), $"signature {first.Signature} does not verify");
        Assert.False(WebhookSignature.Verify("another secret", first.Timestamp, first.Body, first.Signature));
        var pending = Assert.Single(await webhooks.ListAsync("orders", 10, CancellationToken.None));
        Assert.Equal(WebhookDelivery.Pending, pending.State);
        Assert.Equal(503, Assert.Single(pending.Attempts).StatusCode);
        Assert.Equal(first.DeliveryId, pending.Id);

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await deliverer.TickAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await deliverer.TickAsync(CancellationToken.None));

        var delivered = Assert.Single(await webhooks.ListAsync("orders", 10, CancellationToken.None));
        Assert.Equal(WebhookDelivery.Delivered, delivered.State);
        Assert.Equal([503, 200], delivered.Attempts.Select(a => a.StatusCode));
        Assert.Equal(2, _received.Count);
    }

    [Fact]
    public async Task Delivery_GivesUpAfterTheLastDelay_AndAt4xxAtOnce()
    {
        var webhooks = new SqliteWebhookStore(_store!);
        using var deliverer = NewDeliverer(webhooks);
        _answers.Enqueue(500);
        _answers.Enqueue(500);
        _answers.Enqueue(500);
        await deliverer.EnqueueAsync("orders", "r-1", _url, "RetriesExhausted", s_record, CancellationToken.None);

        await deliverer.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await deliverer.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        await deliverer.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await deliverer.TickAsync(CancellationToken.None));

        var failed = Assert.Single(await webhooks.ListAsync("orders", 10, CancellationToken.None));
        Assert.Equal(WebhookDelivery.Failed, failed.State);
        Assert.Equal(3, failed.Attempts.Count);

        _answers.Enqueue(400);
        await deliverer.EnqueueAsync("refused", "r-2", _url, "Success", s_record, CancellationToken.None);
        await deliverer.TickAsync(CancellationToken.None);
        var refused = Assert.Single(await webhooks.ListAsync("refused", 10, CancellationToken.None));
        Assert.Equal(WebhookDelivery.Failed, refused.State);
        Assert.Equal(400, Assert.Single(refused.Attempts).StatusCode);
    }

    [Fact]
    public async Task PendingDelivery_SurvivesARestart_AndIsSentByTheNextProcess()
    {
        var webhooks = new SqliteWebhookStore(_store!);
        await webhooks.EnqueueAsync("orders", "r-1", _url, "Success", s_record, _time.GetUtcNow(), CancellationToken.None);

        // The process took it for sending and died before an answer was recorded.
        Assert.Single(await webhooks.TakeDueAsync(_time.GetUtcNow(), _time.GetUtcNow() + TimeSpan.FromMinutes(1), 8, CancellationToken.None));
        await _store!.DisposeAsync();
        _store = await OpenStoreAsync();
        webhooks = new SqliteWebhookStore(_store);
        using var deliverer = NewDeliverer(webhooks);
        await webhooks.ReleaseSendingAsync(_time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(1, await deliverer.TickAsync(CancellationToken.None));
        Assert.Equal(WebhookDelivery.Delivered, Assert.Single(await webhooks.ListAsync("orders", 10, CancellationToken.None)).State);
    }

    private WebhookDeliverer NewDeliverer(SqliteWebhookStore webhooks) => new(webhooks, _options, _time, NullLogger<WebhookDeliverer>.Instance);

    private async Task<SqliteStore> OpenStoreAsync()
    {
        var store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private sealed record Received(byte[] Body, string Signature, long Timestamp, string DeliveryId);
}
