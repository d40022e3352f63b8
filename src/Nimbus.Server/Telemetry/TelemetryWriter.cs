using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Tracing;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Server.Telemetry;

/// <summary>
/// Drains the telemetry channels into the store in batches, off the invoke path, on a dedicated thread: the SQLite
/// writes are synchronous and would otherwise hold a thread-pool thread for milliseconds per batch. (A lower scheduling
/// priority for this thread was measured and made the warm p50 worse without changing the p99, so it was dropped.)
/// </summary>
public sealed partial class TelemetryWriter : BackgroundService
{
    private const int BatchSize = 5000;

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
    private readonly InvocationMetrics? _metrics;
    private readonly SqliteObservabilityStore? _traces;
    private readonly OtlpTraceExporter? _traceExport;

    public TelemetryWriter(TelemetrySink sink, INimbusStore store, TimeProvider time, ILogger<TelemetryWriter> logger, InvocationMetrics? metrics = null,
        SqliteObservabilityStore? traces = null, OtlpTraceExporter? traceExport = null)
    {
        _traceExport = traceExport;
        _traces = traces;
        _sink = sink;
        _store = store;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                finished.TrySetResult();
            }
            catch (Exception ex)
            {
                finished.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Nimbus telemetry writer",
        };
        thread.Start();
        return finished.Task;
    }

    /// <summary>Stops the loop, then writes what is still queued (the workers have stopped by now).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Writes whatever is still queued.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        WriteBatches(cancellationToken);
        return Task.CompletedTask;
    }

    private void Run(CancellationToken stoppingToken)
    {
        var logs = _sink.Logs.Reader;
        var invocations = _sink.Invocations.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Task.WhenAny(logs.WaitToReadAsync(stoppingToken).AsTask(), invocations.WaitToReadAsync(stoppingToken).AsTask())
                    .GetAwaiter().GetResult();
                Task.Delay(FlushInterval, _time, stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return; // shutdown: StopAsync flushes what is left
            }

            WriteBatches(CancellationToken.None);
        }
    }

    /// <summary>
    /// Writes the queued logs and invocation records together, a batch of each at a time: an invocation's folded START,
    /// END and REPORT lines are stored in its record's row where both are in the batches (<see cref="PlatformRows"/>),
    /// one row per invocation instead of two (docs/design/warm-path.md, "Platform lines stored with the record").
    /// </summary>
    private void WriteBatches(CancellationToken cancellationToken)
    {
        var logs = new List<LogRecord>();
        var invocations = new List<InvocationRecord>();
        bool more;
        do
        {
            Take(_sink.Logs.Reader, logs);
            Take(_sink.Invocations.Reader, invocations);
            more = logs.Count == BatchSize || invocations.Count == BatchSize;
            if (logs.Count > 0)
            {
                ObserveLogs(logs);
            }

            if (_traces is not null)
            {
                // One write: the records take their ids (and their lines) inside the log batch's transaction.
                var withRecords = new RecordsWithLines(this, _traces, invocations, cancellationToken);
                if (logs.Count > 0 || invocations.Count > 0)
                {
                    Write("LogRecord", logs.Count, () => _store.AppendLogsAsync(logs, withRecords, cancellationToken));
                }

                if (!withRecords.Written && invocations.Count > 0)
                {
                    // The log store failed before handing the rows over: the records go on their own.
                    WriteInvocations(invocations, null, null, cancellationToken);
                }
            }
            else
            {
                if (logs.Count > 0)
                {
                    Write("LogRecord", logs.Count, () => _store.AppendLogsAsync(logs, cancellationToken));
                }

                if (invocations.Count > 0)
                {
                    WriteInvocations(invocations, null, null, cancellationToken);
                }
            }
        }
        while (more);

        Drain(_sink.Spans.Reader, WriteSpansAsync, cancellationToken);
    }

    private static void Take<T>(System.Threading.Channels.ChannelReader<T> reader, List<T> batch)
    {
        batch.Clear();
        while (batch.Count < BatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    /// <summary>Runs one store write; a failure is logged and the batch given up (the store is expected to recover).</summary>
    private bool Write(string kind, int count, Func<Task> write)
    {
        try
        {
            // The store writes synchronously on the calling thread (see SqliteStore.WriteAsync), so the work stays here.
            write().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.WriteFailed(_logger, kind, count, ex);
            return false;
        }
    }

    private Task WriteSpansAsync(IReadOnlyList<SpanRecord> batch, CancellationToken cancellationToken)
    {
        _traceExport?.Offer(batch);
        return _traces?.AppendSpansAsync(batch, cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Custom metrics (Embedded Metric Format lines) are read here, from the batch, before it is stored.</summary>
    private void ObserveLogs(List<LogRecord> batch)
    {
        try
        {
            _metrics?.ObserveLogs(batch);
        }
        catch (Exception ex)
        {
            Log.ObserveFailed(_logger, batch.Count, ex);
        }
    }

    /// <summary>
    /// Metrics, Prometheus series and error groups are built here, from the batch, before it is stored; then the records
    /// are stored, each with its platform log row where <paramref name="platformRows"/> has one. False when the store failed.
    /// </summary>
    private bool WriteInvocations(List<InvocationRecord> batch, LogRow?[]? platformRows, long[]? rowIds, CancellationToken cancellationToken)
    {
        try
        {
            _metrics?.Observe(batch);
        }
        catch (Exception ex)
        {
            Log.ObserveFailed(_logger, batch.Count, ex);
        }

        // Each invocation's span is its record: the store keeps the record's fields and builds the span when a trace is
        // read, so the invoke path makes none and this thread serialises none. Only an exporter gets built spans.
        // (A record without a trace or span id, which the invoker does not make, is not stored.)
        if (_traceExport is not null)
        {
            _traceExport.Offer([.. batch.SelectMany(PlatformSpans.From)]);
        }

        // The record and its span are one row of observability.db; without that store (some tests) the main store
        // keeps the records (and the platform lines stay log rows).
        var traces = _traces;
        return Write("InvocationRecord", batch.Count, () => traces is not null
            ? traces.AppendInvocationSpansAsync(batch, platformRows, rowIds, cancellationToken)
            : _store.AppendInvocationsAsync(batch, cancellationToken));
    }

    private void Drain<T>(System.Threading.Channels.ChannelReader<T> reader, Func<IReadOnlyList<T>, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var batch = new List<T>();
        do
        {
            Take(reader, batch);
            if (batch.Count == 0)
            {
                return;
            }

            Write(typeof(T).Name, batch.Count, () => write(batch, cancellationToken));
        }
        while (batch.Count == BatchSize);
    }

    /// <summary>
    /// The batch's records, stored inside the log batch's transaction: each with its folded platform row where
    /// <see cref="PlatformRows.Match"/> pairs them (its rowid is then the row's id), the others with fresh ids of the
    /// log sequence, so that every rowid of <c>invocation_spans</c> is a log id and a follower's read by id stays a range.
    /// </summary>
    private sealed class RecordsWithLines(TelemetryWriter writer, SqliteObservabilityStore traces, List<InvocationRecord> records,
        CancellationToken cancellationToken) : IPlatformRowStore
    {
        public bool Written { get; private set; }

        public long LastId => traces.LastId;

        public long Store(IReadOnlyList<LogRow> rows, long nextId, ISet<long> stored)
        {
            Written = true;
            if (records.Count == 0)
            {
                return nextId - 1;
            }

            var matches = PlatformRows.Match(rows, records);
            var rowIds = new long[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                rowIds[i] = matches[i]?.Id ?? nextId++;
            }

            if (!writer.WriteInvocations(records, matches, rowIds, cancellationToken))
            {
                return nextId - 1;
            }

            foreach (var match in matches)
            {
                if (match is not null)
                {
                    stored.Add(match.Id);
                }
            }

            return nextId - 1;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Error, "Could not store a batch of {Count} {Kind} records")]
        public static partial void WriteFailed(ILogger logger, string kind, int count, Exception exception);

        [LoggerMessage(2002, LogLevel.Error, "Could not turn a batch of {Count} invocation or log records into metrics")]
        public static partial void ObserveFailed(ILogger logger, int count, Exception exception);
    }
}
