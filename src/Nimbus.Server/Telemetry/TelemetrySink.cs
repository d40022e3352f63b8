using System.Threading.Channels;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Routing;
using Nimbus.Core.Tracing;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Telemetry;

/// <summary>
/// Where the invoke path hands telemetry off: log records and invocation records go into bounded channels that a
/// background writer stores in batches. Nothing here blocks or does I/O. When a function logs faster than the store
/// can keep up, the oldest unwritten records are dropped and counted, so the platform never runs out of memory: log
/// records are bounded by count and by the bytes they hold.
/// </summary>
public sealed class TelemetrySink
{
    public const int LogCapacity = 200_000;
    public const int SpanCapacity = 100_000;

    /// <summary>The most bytes unwritten log records may hold (a record is at most 256 KB of text, 512 KB as a string).</summary>
    public const long LogByteBudget = 64L * 1024 * 1024;

    private const int RecordOverheadBytes = 160;
    private readonly TimeProvider _time;
    private long _droppedLogs;
    private long _droppedSpans;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _recursionDrops = new(StringComparer.Ordinal);

    private readonly bool _recording;

    /// <param name="time">The clock of the records.</param>
    /// <param name="recording">False: nothing is recorded (<see cref="Hosting.NimbusServerOptions.RecordTelemetry"/>).</param>
    public TelemetrySink(TimeProvider time, bool recording = true)
    {
        _time = time;
        _recording = recording;
        Logs = new ByteBudgetChannel<LogRecord>(LogCapacity, LogByteBudget, EstimatedBytes, () => Interlocked.Increment(ref _droppedLogs));
        Invocations = Channel.CreateBounded<InvocationRecord>(new BoundedChannelOptions(50_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        Spans = Channel.CreateBounded<SpanRecord>(new BoundedChannelOptions(SpanCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _droppedSpans));
    }

    /// <summary>Spans that are not an invocation's own (those come from its record): function code's (OTLP) and async accepts.</summary>
    public Channel<SpanRecord> Spans { get; }

    /// <summary>Spans dropped because the store could not keep up.</summary>
    public long DroppedSpans => Interlocked.Read(ref _droppedSpans);

    /// <summary>Calls stopped by the recursion guard since the server started, per function.</summary>
    public IReadOnlyDictionary<string, long> RecursionDrops => _recursionDrops;

    /// <summary>A call the recursion guard stopped: a WARN line in the function's logs (with the trace id), and counted.</summary>
    public void RecursionDropped(ExecutionTarget target, string requestId, TraceContext trace)
    {
        _recursionDrops.AddOrUpdate(target.FunctionName, 1, static (_, count) => count + 1);
        Write(target, requestId, trace.TraceId, "WARN", "platform",
            $"{Metrics.InvocationMetrics.RecursionDropPrefix}RequestId: {requestId} Hops: {trace.Hops} (more than {RecursionGuard.MaxHops})", null, null);
    }

    /// <summary>An async event was committed: its accept is a span of the caller's trace, the parent of every attempt.</summary>
    public void Enqueued(string functionName, string requestId, TraceContext trace, DateTimeOffset at) =>
        Spans.Writer.TryWrite(new SpanRecord(trace.TraceId, trace.SpanId, trace.ParentSpanId, SpanNames.Enqueue, "Producer", at, 0, functionName,
            requestId, false, null, SpanRecord.PlatformOrigin, new Dictionary<string, object?>
            {
                [SpanNames.FaasInvokedName] = functionName,
                [SpanNames.FaasInvokedProvider] = "nimbus",
                [SpanNames.FaasInvocationId] = requestId,
                [SpanNames.Hops] = trace.Hops,
            }));

    /// <summary>Spans function code exported (already parsed, off the invoke path).</summary>
    public void FunctionSpans(IEnumerable<SpanRecord> spans)
    {
        foreach (var span in spans)
        {
            Spans.Writer.TryWrite(span);
        }
    }

    public Channel<LogRecord> Logs { get; }
    public Channel<InvocationRecord> Invocations { get; }
    public long DroppedLogs => Interlocked.Read(ref _droppedLogs);

    /// <summary>A line a worker wrote. Attributed to the request id it names, else to the request the instance served last.</summary>
    public void OutputLine(Instance instance, string stream, string line)
    {
        var parsed = LogLineParser.Parse(line);
        var last = instance.Logs.Owner;
        var requestId = parsed.RequestId ?? last?.RequestId;
        var invocation = last is not null && requestId == last.RequestId ? last
            : requestId is not null && instance.Slots > 1 ? instance.FindInFlight(requestId) : null;
        invocation?.Tail?.Append(line);
        // An unstructured stderr line is most likely an error report (an uncaught exception, a crash message).
        var structured = parsed.RequestId is not null || parsed.FieldsJson is not null;
        var level = stream == "stderr" && !structured ? "ERROR" : parsed.Level;
        Write(instance.Target, requestId, invocation?.TraceId, level, stream, parsed.Message, parsed.FieldsJson, parsed.Time);
    }

    public void Started(Instance instance, Invocation invocation)
    {
        invocation.Tail?.Append(PlatformLogLines.Start(invocation.RequestId, instance.Target.Version));
        // A marker: the store writes the START line's text, folded with END and REPORT where it can (LogFolding).
        Write(instance.Target, invocation.RequestId, invocation.TraceId, "INFO", "platform", "", null, null, LogFrame.Start);
    }

    public void Completed(Instance instance, Invocation invocation, InvocationResult result)
    {
        var target = instance.Target;
        var maxMemoryMb = instance.Statistics.MaxRssBytesThisInvocation / (1024 * 1024);
        var traceId = invocation.TraceId;
        if (result.IsFunctionError)
        {
            var (_, message) = LambdaError.Read(result.Body.Span);
            var errorLine = $"{invocation.RequestId} {result.ErrorType}: {message}";
            invocation.Tail?.Append(errorLine);
            Write(target, invocation.RequestId, traceId, "ERROR", "platform", errorLine, null, null);
        }

        var status = PlatformLogLines.Status(result.Outcome, result.ErrorType);
        var report = new InvocationReport(invocation.RequestId, result.DurationMs, target.Config.MemoryMb, maxMemoryMb, result.InitDurationMs, status);
        if (invocation.Tail is { } tail)
        {
            tail.Append(PlatformLogLines.End(invocation.RequestId));
            tail.Append(report.Line);
        }

        // One record for END and REPORT (the message); the store writes both lines' ids and the END text.
        Write(target, invocation.RequestId, traceId, "INFO", "platform", report.Line, null, null, LogFrame.End, report);

        // What only the instance knows goes on the result; the invoker turns the result into the invocation's record.
        result.TraceId = traceId;
        result.MaxMemoryUsedMb = maxMemoryMb;
    }

    public void Throttled(ExecutionTarget target, string? alias, string requestId, ThrottleReason reason)
    {
        Write(target, requestId, null, "WARN", "platform", $"THROTTLED RequestId: {requestId} Reason: {reason}", null, null);
    }

    public void InitFailed(ExecutionTarget target, string? alias, InvocationResult failure)
    {
        var (_, message) = LambdaError.Read(failure.Body.Span);
        Write(target, failure.RequestId, null, "ERROR", "platform", $"INIT_FAILED RequestId: {failure.RequestId} {failure.ErrorType}: {message}", null, null);
    }

    /// <summary>The one record of a finished invocation, as the invoker decided it (see <c>InvocationRecords</c>).</summary>
    public void Publish(InvocationRecord record)
    {
        if (_recording)
        {
            Invocations.Writer.TryWrite(record);
        }
    }

    public void InstanceExited(Instance instance, string how) =>
        Write(instance.Target, instance.Logs.Owner?.RequestId, null, "INFO", "platform",
            $"Instance {instance.Id} (pid {instance.ProcessId}) exited: {how}", null, null);

    /// <summary>A platform ERROR line of the function whose attempt the policy denied (it names the missing permission).</summary>
    public void AccessDenied(string functionName, string version, string message) =>
        Logs.Writer.TryWrite(new LogRecord(0, _time.GetUtcNow(), functionName, version, null, null, "ERROR", "platform", message, null));

    /// <summary>
    /// What a record holds in memory, roughly: its own text as UTF-16 plus a fixed share for the record and the strings
    /// it shares with others (function name, request id). Computed once per write and once per read, so no walk of
    /// every field.
    /// </summary>
    internal static long EstimatedBytes(LogRecord record) =>
        RecordOverheadBytes + (sizeof(char) * ((long)record.Message.Length + (record.FieldsJson?.Length ?? 0)));

    private void Write(ExecutionTarget target, string? requestId, string? traceId, string level, string stream, string message, string? fieldsJson, DateTimeOffset? time,
        LogFrame frame = LogFrame.None, InvocationReport? report = null)
    {
        if (_recording)
        {
            Logs.Writer.TryWrite(new LogRecord(0, time ?? _time.GetUtcNow(), target.FunctionName, target.Version, requestId, traceId, level, stream, message, fieldsJson)
            {
                Frame = frame,
                Report = report,
            });
        }
    }
}
