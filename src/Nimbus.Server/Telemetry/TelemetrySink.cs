using System.Threading.Channels;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Routing;
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

    /// <summary>The most bytes unwritten log records may hold (a record is at most 256 KB of text, 512 KB as a string).</summary>
    public const long LogByteBudget = 64L * 1024 * 1024;

    private const int RecordOverheadBytes = 160;
    private readonly TimeProvider _time;
    private long _droppedLogs;

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
        var invocation = last is not null && requestId == last.RequestId ? last : null;
        invocation?.Tail?.Append(line);
        // An unstructured stderr line is most likely an error report (an uncaught exception, a crash message).
        var structured = parsed.RequestId is not null || parsed.FieldsJson is not null;
        var level = stream == "stderr" && !structured ? "ERROR" : parsed.Level;
        Write(instance.Target, requestId, invocation?.TraceId, level, stream, parsed.Message, parsed.FieldsJson, parsed.Time);
    }

    public void Started(Instance instance, Invocation invocation)
    {
        var line = PlatformLogLines.Start(invocation.RequestId, instance.Target.Version);
        invocation.Tail?.Append(line);
        Write(instance.Target, invocation.RequestId, invocation.TraceId, "INFO", "platform", line, null, null);
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

        var end = PlatformLogLines.End(invocation.RequestId);
        var status = result.Outcome switch
        {
            InvocationOutcome.Success or InvocationOutcome.FunctionError => null,
            InvocationOutcome.Timeout => "timeout",
            InvocationOutcome.OutOfMemory => "error\tError Type: Runtime.OutOfMemory",
            _ => "error\tError Type: " + result.ErrorType,
        };
        var report = PlatformLogLines.Report(invocation.RequestId, result.DurationMs, target.Config.MemoryMb, maxMemoryMb, result.InitDurationMs, status);
        invocation.Tail?.Append(end);
        invocation.Tail?.Append(report);
        Write(target, invocation.RequestId, traceId, "INFO", "platform", end, null, null);
        Write(target, invocation.RequestId, traceId, "INFO", "platform", report, null, null);

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

    /// <summary>
    /// What a record holds in memory, roughly: its own text as UTF-16 plus a fixed share for the record and the strings
    /// it shares with others (function name, request id). Computed once per write and once per read, so no walk of
    /// every field.
    /// </summary>
    internal static long EstimatedBytes(LogRecord record) =>
        RecordOverheadBytes + (sizeof(char) * ((long)record.Message.Length + (record.FieldsJson?.Length ?? 0)));

    private void Write(ExecutionTarget target, string? requestId, string? traceId, string level, string stream, string message, string? fieldsJson, DateTimeOffset? time)
    {
        if (_recording)
        {
            Logs.Writer.TryWrite(new LogRecord(0, time ?? _time.GetUtcNow(), target.FunctionName, target.Version, requestId, traceId, level, stream, message, fieldsJson));
        }
    }
}
