using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Telemetry;

/// <summary>Drains the telemetry channels into the store in batches, off the invoke path.</summary>
public sealed partial class TelemetryWriter : BackgroundService
{
    private const int BatchSize = 2000;

    /// <summary>
    /// How long records gather before a batch is written. One transaction per invocation would cost more CPU than the
    /// invocation itself; at 1000 invocations/s this makes it one transaction per ~100 invocations. Logs reach the store
    /// at most this much later.
    /// </summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    private readonly TelemetrySink _sink;
    private readonly INimbusStore _store;
    private readonly ILogger<TelemetryWriter> _logger;
    private readonly TimeProvider _time;

    public TelemetryWriter(TelemetrySink sink, INimbusStore store, TimeProvider time, ILogger<TelemetryWriter> logger)
    {
        _sink = sink;
        _store = store;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logs = WriteLogsAsync(stoppingToken);
        var invocations = WriteInvocationsAsync(stoppingToken);
        await Task.WhenAll(logs, invocations).ConfigureAwait(false);
    }

    /// <summary>Stops the loop, then writes what is still queued (the workers have stopped by now).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Writes whatever is still queued.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var logs = new List<LogRecord>();
        while (_sink.Logs.Reader.TryRead(out var record))
        {
            logs.Add(record);
        }

        var invocations = new List<InvocationRecord>();
        while (_sink.Invocations.Reader.TryRead(out var record))
        {
            invocations.Add(record);
        }

        if (logs.Count > 0)
        {
            await _store.AppendLogsAsync(logs, cancellationToken).ConfigureAwait(false);
        }

        if (invocations.Count > 0)
        {
            await _store.AppendInvocationsAsync(invocations, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task WriteLogsAsync(CancellationToken stoppingToken) =>
        DrainAsync(_sink.Logs.Reader, _store.AppendLogsAsync, stoppingToken);

    private Task WriteInvocationsAsync(CancellationToken stoppingToken) =>
        DrainAsync(_sink.Invocations.Reader, _store.AppendInvocationsAsync, stoppingToken);

    private async Task DrainAsync<T>(System.Threading.Channels.ChannelReader<T> reader, Func<IReadOnlyList<T>, CancellationToken, Task> write, CancellationToken stoppingToken)
    {
        var batch = new List<T>(BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(FlushInterval, _time, stoppingToken).ConfigureAwait(false);
                while (batch.Count < BatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    await write(batch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.WriteFailed(_logger, typeof(T).Name, batch.Count, ex);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: FlushAsync writes what is left.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Error, "Could not store a batch of {Count} {Kind} records")]
        public static partial void WriteFailed(ILogger logger, string kind, int count, Exception exception);
    }
}
