using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Events;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events;

/// <summary>
/// Sends <c>webhook:URL</c> destinations: each invocation record is a stored delivery, POSTed signed
/// (<see cref="WebhookSignature"/>), retried after <see cref="AsyncEventOptions.WebhookRetryDelays"/> on no answer,
/// 408, 429 or 5xx, with every attempt recorded. <see cref="TickAsync"/> is the loop body; the loop sleeps on the
/// injected <see cref="TimeProvider"/>, so retry timings are tested with a fake clock.
/// </summary>
public sealed partial class WebhookDeliverer : IHostedService, IDisposable
{
    private readonly SqliteWebhookStore _store;
    private readonly AsyncEventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDeliverer> _logger;
    private readonly HttpClient _http;
    private readonly AsyncEventSignal _signal = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public WebhookDeliverer(SqliteWebhookStore store, AsyncEventOptions options, TimeProvider time, ILogger<WebhookDeliverer> logger,
        HttpMessageHandler? handler = null)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Stores a delivery of <paramref name="record"/> to <paramref name="url"/>; it is sent as soon as the loop looks.</summary>
    public async Task EnqueueAsync(string functionName, string requestId, string url, string condition, byte[] record, CancellationToken cancellationToken)
    {
        await _store.EnqueueAsync(functionName, requestId, url, condition, record, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _signal.Wake();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.ReleaseSendingAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _http.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Sends every due delivery (up to the concurrency) once and records the outcomes; returns how many were sent.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = await _store.TakeDueAsync(now, now + _options.WebhookTimeout + TimeSpan.FromSeconds(30), _options.WebhookConcurrency, cancellationToken)
            .ConfigureAwait(false);
        await Task.WhenAll(due.Select(d => SendAsync(d.Delivery, d.Body, cancellationToken))).ConfigureAwait(false);
        return due.Count;
    }

    private async Task SendAsync(WebhookDelivery delivery, byte[] body, CancellationToken cancellationToken)
    {
        var secret = await _store.GetOrCreateSecretAsync(delivery.FunctionName, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var startedAt = _time.GetUtcNow();
        var timestamp = startedAt.ToUnixTimeSeconds();
        int? status = null;
        string? error = null;
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(_options.WebhookTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no answer within {_options.WebhookTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            error = AsyncAttempt.Truncate(ex.Message);
        }

        var attempt = new WebhookAttempt(delivery.Attempts.Count + 1, startedAt, status, error, watch.Elapsed.TotalMilliseconds);
        var now = _time.GetUtcNow();
        var next = WebhookRetryPolicy.NextAttempt(attempt.Number, status, _options.WebhookRetryDelays, now);
        var state = WebhookRetryPolicy.IsDelivered(status) ? WebhookDelivery.Delivered : next is null ? WebhookDelivery.Failed : WebhookDelivery.Pending;
        if (state == WebhookDelivery.Failed)
        {
            Log.DeliveryFailed(_logger, delivery.FunctionName, delivery.RequestId, delivery.Url, attempt.Number, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? error ?? "");
        }

        await _store.RecordAttemptAsync(delivery, attempt, state, next ?? now, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await TickAsync(stopping).ConfigureAwait(false) > 0)
                {
                    continue;
                }

                var wait = _options.MaxIdle;
                if (await _store.NextDueAsync(stopping).ConfigureAwait(false) is { } next)
                {
                    var until = next - _time.GetUtcNow();
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
                }

                if (wait > TimeSpan.Zero)
                {
                    await _signal.WaitAsync(wait, _time, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.TickFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Error, Message = "Looking at the webhook deliveries failed; trying again")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Webhook delivery of {RequestId} of {FunctionName} to {Url} failed for good after {Attempts} attempts ({Last})")]
        public static partial void DeliveryFailed(ILogger logger, string functionName, string requestId, string url, int attempts, string last);
    }
}
