namespace Nimbus.Server.Runtime;

/// <summary>One invocation as the gateway hands it to the dispatcher.</summary>
/// <param name="TraceParent">Incoming W3C traceparent, continued by the invocation when present.</param>
/// <param name="CaptureLogTail">Keep the invocation's log lines so the caller can get the last 4 KB.</param>
public sealed record InvokeRequest(
    string RequestId,
    ReadOnlyMemory<byte> Payload,
    string? TraceParent = null,
    string? ClientContext = null,
    bool CaptureLogTail = false)
{
    /// <summary>The trace the front door decided for this invocation; when null the dispatcher continues <see cref="TraceParent"/>.</summary>
    public Core.Tracing.TraceContext? Trace { get; init; }
}
