namespace Nimbus.Server.Runtime;

/// <summary>One invocation as the gateway hands it to the dispatcher.</summary>
/// <param name="TraceParent">Incoming W3C traceparent, continued by the invocation when present.</param>
/// <param name="CaptureLogTail">Keep the invocation's log lines so the caller can get the last 4 KB.</param>
public sealed record InvokeRequest(
    string RequestId,
    ReadOnlyMemory<byte> Payload,
    string? TraceParent = null,
    string? ClientContext = null,
    bool CaptureLogTail = false);
