namespace Nimbus.Functions.Runtime;

/// <summary>One event handed out by <c>GET /invocation/next</c>. <see cref="Payload"/> is only valid until the next poll.</summary>
internal readonly record struct Invocation(
    string RequestId,
    long DeadlineUnixMs,
    string InvokedFunctionArn,
    string? TraceId,
    string? TraceParent,
    string? ClientContext,
    ReadOnlyMemory<byte> Payload)
{
    /// <summary>The W3C <c>tracestate</c> handed out with <see cref="TraceParent"/> (carries the hop count of the call chain).</summary>
    public string? TraceState { get; init; }
}
