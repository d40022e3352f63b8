using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Tracing;

namespace Nimbus.Server.Telemetry;

/// <summary>
/// Sends every stored span (the platform's and function code's) to an OTLP/HTTP endpoint as JSON
/// (<c>POST {endpoint}/v1/traces</c>). The telemetry writer offers each batch after storing it; a bounded queue
/// (oldest dropped and counted when the endpoint cannot keep up) separates it from this loop, which sends up to
/// <see cref="MaxSpansPerExport"/> spans per request and retries briefly (<see cref="OtlpRetryPolicy"/>).
/// </summary>
public sealed partial class OtlpTraceExporter : BackgroundService
{
    public const int QueueCapacity = 20_000;
    public const int MaxSpansPerExport = 512;
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly Channel<SpanRecord> _queue;
    private readonly HttpClient _http;
    private readonly Uri _tracesUri;
    private readonly TimeProvider _time;
    private readonly ILogger<OtlpTraceExporter> _logger;
    private long _dropped;
    private long _exported;

    public OtlpTraceExporter(Uri endpoint, TimeProvider time, ILogger<OtlpTraceExporter> logger, HttpMessageHandler? handler = null)
    {
        _tracesUri = TracesUri(endpoint);
        _time = time;
        _logger = logger;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(10);
        _queue = Channel.CreateBounded<SpanRecord>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Spans not exported: dropped from the full queue, or in a batch the endpoint refused or never took.</summary>
    public long DroppedSpans => Interlocked.Read(ref _dropped);

    /// <summary>Spans the endpoint accepted.</summary>
    public long ExportedSpans => Interlocked.Read(ref _exported);

    /// <summary><c>{endpoint}/v1/traces</c>, as OTLP's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is read (a path on it is kept).</summary>
    public static Uri TracesUri(Uri endpoint)
    {
        var text = endpoint.ToString();
        return new Uri(text.EndsWith('/') ? text + "v1/traces" : text + "/v1/traces");
    }

    /// <summary>Queues a stored batch for export; never blocks.</summary>
    public void Offer(IReadOnlyList<SpanRecord> spans)
    {
        foreach (var span in spans)
        {
            _queue.Writer.TryWrite(span);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SpanRecord>(MaxSpansPerExport);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Take(batch);
                await SendAsync(batch, retry: true, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown: StopAsync sends what is left once
        }
    }

    /// <summary>Stops the loop, then sends what the writer's last flush queued, once each, without retries.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        var batch = new List<SpanRecord>(MaxSpansPerExport);
        while (!limit.IsCancellationRequested && Take(batch) > 0)
        {
            await SendAsync(batch, retry: false, limit.Token).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private int Take(List<SpanRecord> batch)
    {
        batch.Clear();
        while (batch.Count < MaxSpansPerExport && _queue.Reader.TryRead(out var span))
        {
            batch.Add(span);
        }

        return batch.Count;
    }

    private async Task SendAsync(List<SpanRecord> batch, bool retry, CancellationToken cancellationToken)
    {
        var body = OtlpJsonTraceWriter.Write(batch);
        for (var attempt = 1; ; attempt++)
        {
            int? status = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = s_json;
                using var response = await _http.PostAsync(_tracesUri, content, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref _exported, batch.Count);
                    return;
                }

                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Log.SendFailed(_logger, _tracesUri, ex.Message);
            }

            if (!retry || OtlpRetryPolicy.NextDelay(attempt, status) is not { } delay)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                Log.Dropped(_logger, batch.Count, _tracesUri, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer");
                return;
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2111, LogLevel.Debug, "OTLP trace export to {Uri} failed: {Reason}")]
        public static partial void SendFailed(ILogger logger, Uri uri, string reason);

        [LoggerMessage(2112, LogLevel.Warning, "Dropped {Count} spans: OTLP trace export to {Uri} failed ({Status})")]
        public static partial void Dropped(ILogger logger, int count, Uri uri, string status);
    }
}
