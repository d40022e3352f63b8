using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Alarms;

public sealed class NotificationDispatcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-notify-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<string> _invoked = [];
    private SqliteAlarmStore _alarms = null!;
    private WebhookReceiver _receiver = null!;
    private WebhookSecret _secret = null!;
    private NotificationDispatcher _dispatcher = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _alarms = new SqliteAlarmStore(Path.Combine(_directory, "alarms.db"));
        await _alarms.InitializeAsync(CancellationToken.None);
        _receiver = await WebhookReceiver.StartAsync();
        _secret = WebhookSecret.LoadOrCreate(_directory);
        var sender = new NotificationSender(new HttpClient(), _secret, new RecordingInvoker(_invoked));
        _dispatcher = new NotificationDispatcher(_alarms, sender, _time, NullLogger<NotificationDispatcher>.Instance);
    }

    public async Task DisposeAsync()
    {
        _dispatcher.Dispose();
        await _receiver.DisposeAsync();
        await _alarms.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static AlarmNotification Message() => new(
        AlarmNotification.TransitionEvent, "checkout-errors", "checkout", "OK", "ALARM", "Threshold Crossed: 2 out of the last 3 datapoints [...]",
        "checkout failed", T0, "https://wiki.example/checkout",
        [new NotificationError("TypeError", "x is undefined", 7, T0)],
        [new NotificationChange(T0.AddMinutes(-10), "alias.updated", "alias live -> 4")]);

    private Task<IReadOnlyList<long>> QueueAsync(string target, string payload) =>
        _alarms.EnqueueNotificationsAsync("checkout-errors", AlarmNotification.TransitionEvent, [(target, payload)], _time.GetUtcNow(), CancellationToken.None);

    [Fact]
    public async Task Webhook_IsSignedWithTheSecretOverTimestampAndBody()
    {
        var payload = NotificationPayloads.Webhook(Message());
        await QueueAsync($"webhook:{_receiver.Url}", payload);

        Assert.Equal(1, await _dispatcher.DeliverDueAsync(_time.GetUtcNow(), CancellationToken.None));

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(payload, request.Body);
        var timestamp = long.Parse(request.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(T0.ToUnixTimeSeconds(), timestamp);
        Assert.True(WebhookSignature.Verify(_secret.Key, timestamp, request.Body, request.Headers[WebhookSignature.SignatureHeader]));
        Assert.False(WebhookSignature.Verify(_secret.Key, timestamp, request.Body + " ", request.Headers[WebhookSignature.SignatureHeader]));
        Assert.Equal("alarm.transition", request.Headers[WebhookSignature.EventHeader]);
        var id = Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None)).Id;
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["X-Nimbus-Delivery-Id"]);
        Assert.False(request.Headers.ContainsKey("X-Nimbus-Delivery"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("https://wiki.example/checkout", json.RootElement.GetProperty("runbook").GetString());
        Assert.Equal("alias live -> 4", json.RootElement.GetProperty("recentChanges")[0].GetProperty("summary").GetString());
        Assert.Equal("delivered", Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Webhook_On500_RetriesWithBackoffUntilDelivered()
    {
        _receiver.AnswerNext(500, 500);
        await QueueAsync($"webhook:{_receiver.Url}", NotificationPayloads.Webhook(Message()));

        await _dispatcher.DeliverDueAsync(T0, CancellationToken.None);
        var first = Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None));
        Assert.Equal(("pending", 1, 500, T0.AddSeconds(5)), (first.Status, first.Attempts, first.LastStatusCode, first.NextAttemptAt));

        Assert.Equal(0, await _dispatcher.DeliverDueAsync(T0.AddSeconds(4), CancellationToken.None));
        Assert.Equal(1, await _dispatcher.DeliverDueAsync(T0.AddSeconds(5), CancellationToken.None));
        var second = Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None));
        Assert.Equal(("pending", 2, T0.AddSeconds(15)), (second.Status, second.Attempts, second.NextAttemptAt));

        await _dispatcher.DeliverDueAsync(T0.AddSeconds(15), CancellationToken.None);
        var delivered = Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None));
        Assert.Equal(("delivered", 3, T0.AddSeconds(15)), (delivered.Status, delivered.Attempts, delivered.DeliveredAt));
        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task Webhook_ThatNeverSucceeds_FailsAfterTheLastAttempt()
    {
        _receiver.AnswerNext(Enumerable.Repeat(503, NotificationRetryPolicy.MaxAttempts).ToArray());
        await QueueAsync($"webhook:{_receiver.Url}", "{}");

        var now = T0;
        for (var attempt = 1; attempt <= NotificationRetryPolicy.MaxAttempts; attempt++)
        {
            Assert.Equal(1, await _dispatcher.DeliverDueAsync(now, CancellationToken.None));
            now += NotificationRetryPolicy.DelayAfter(attempt) ?? TimeSpan.Zero;
        }

        var failed = Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None));
        Assert.Equal(("failed", NotificationRetryPolicy.MaxAttempts, (DateTimeOffset?)null), (failed.Status, failed.Attempts, failed.NextAttemptAt));
        Assert.Equal(0, await _dispatcher.DeliverDueAsync(now.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Slack_ReceivesAnIncomingWebhookPayload()
    {
        await QueueAsync($"slack:{_receiver.Url}", NotificationPayloads.Slack(Message()));

        await _dispatcher.DeliverDueAsync(T0, CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_receiver.Requests).Body);
        Assert.Equal("checkout-errors is ALARM (was OK)", json.RootElement.GetProperty("text").GetString());
        var block = json.RootElement.GetProperty("blocks")[0];
        Assert.Equal(("section", "mrkdwn"), (block.GetProperty("type").GetString(), block.GetProperty("text").GetProperty("type").GetString()));
        var text = block.GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("alias live -> 4", text, StringComparison.Ordinal);
        Assert.Contains("TypeError: x is undefined (×7)", text, StringComparison.Ordinal);
        Assert.EndsWith("Runbook: https://wiki.example/checkout", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_IsInvokedAsynchronouslyWithTheWebhookBody()
    {
        await QueueAsync("function:pager", "{\"alarm\":\"checkout-errors\"}");

        await _dispatcher.DeliverDueAsync(T0, CancellationToken.None);

        Assert.Equal(["pager {\"alarm\":\"checkout-errors\"}"], _invoked);
        Assert.Equal("delivered", Assert.Single(await _alarms.ListNotificationsAsync("checkout-errors", 10, CancellationToken.None)).Status);
    }

    [Fact]
    public void Secret_IsKeptAcrossRestarts() => Assert.Equal(_secret.Key, WebhookSecret.LoadOrCreate(_directory).Key);

    private sealed class RecordingInvoker(List<string> invoked) : IAsyncFunctionInvoker
    {
        public Task<bool> InvokeAsync(string function, ReadOnlyMemory<byte> payload, string requestId, CancellationToken cancellationToken)
        {
            invoked.Add($"{function} {System.Text.Encoding.UTF8.GetString(payload.Span)}");
            return Task.FromResult(true);
        }
    }
}
