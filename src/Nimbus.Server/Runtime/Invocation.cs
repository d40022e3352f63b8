using Nimbus.Core.Invocations;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Runtime;

/// <summary>
/// One invocation in flight on an instance. Completion happens exactly once, whichever comes first: the worker's
/// response or error, the deadline, the memory watchdog, or the process exiting.
/// </summary>
public sealed class Invocation
{
    // Continuations run on the completing thread (the worker's post, the deadline timer, the watchdog, the exit
    // watcher): the caller's response is written there, without a hand-off through the thread pool. No completer holds
    // a lock while it completes (docs/design/warm-path.md, "The hand-over's continuations run in line").
    private readonly TaskCompletionSource<InvocationResult> _completion = new();
    private readonly TimeProvider _time;
    private int _completed;
    private long _assignedTimestamp;

    public Invocation(InvokeRequest request, string invokedFunctionArn, long deadlineUnixMs, Core.Tracing.TraceContext trace, TimeProvider time)
    {
        _time = time;
        Request = request;
        InvokedFunctionArn = invokedFunctionArn;
        DeadlineUnixMs = deadlineUnixMs;
        TraceId = trace.TraceId;
        TraceParent = trace.TraceParent;
        XRayTraceId = trace.XRayTraceId;
        TraceState = trace.TraceState;
        Tail = request.CaptureLogTail ? new LogTail() : null;
    }

    public InvokeRequest Request { get; }
    public string RequestId => Request.RequestId;
    public string InvokedFunctionArn { get; }
    public long DeadlineUnixMs { get; }
    /// <summary>The W3C trace id (32 hex digits) the invocation's log records carry.</summary>
    public string TraceId { get; }

    public string TraceParent { get; }
    public string XRayTraceId { get; }

    /// <summary>The W3C tracestate handed to the worker: <c>nimbus=hops:N</c> (a cached string).</summary>
    public string TraceState { get; }
    public LogTail? Tail { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at the hand-off to the worker; the duration is measured from here.</summary>
    public long AssignedTimestamp => Volatile.Read(ref _assignedTimestamp);

    public Instance? Instance { get; init; }
    public string? Alias { get; init; }
    public bool ColdStart { get; init; }
    public double? InitDurationMs { get; init; }

    public Task<InvocationResult> Completion => _completion.Task;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public double ElapsedMs => _time.GetElapsedTime(AssignedTimestamp).TotalMilliseconds;

    /// <summary>The instance accepted the invocation: its duration starts now.</summary>
    public void MarkAssigned() => Volatile.Write(ref _assignedTimestamp, _time.GetTimestamp());

    /// <summary>Completes the invocation; false when something else completed it first.</summary>
    public bool TryComplete(InvocationOutcome outcome, ReadOnlyMemory<byte> body, string? errorType)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _completion.SetResult(new InvocationResult
        {
            RequestId = RequestId,
            Outcome = outcome,
            Body = body,
            ErrorType = errorType,
            DurationMs = ElapsedMs,
            ExecutedVersion = Instance?.Target.Version,
            ColdStart = ColdStart,
            InitDurationMs = InitDurationMs,
        });
        return true;
    }

    public bool TryFail(InvocationOutcome outcome, string errorType, string message) =>
        TryComplete(outcome, LambdaError.Serialize(errorType, message), errorType);
}
