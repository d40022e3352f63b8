using Nimbus.Core.Invocations;

namespace Nimbus.Server.Invocations;

/// <summary>One invocation as an entry point hands it to the <see cref="Invoker"/>: what to run and with what.</summary>
public sealed record InvocationCall
{
    public required string FunctionName { get; init; }

    /// <summary><c>$LATEST</c> (or null), a version number or an alias.</summary>
    public string? Qualifier { get; init; }

    /// <summary>The event, already read and checked against the entry point's own size limit.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    public required InvocationSource Source { get; init; }
    public string RequestId { get; init; } = RequestIds.New();

    /// <summary>Incoming W3C traceparent, continued by the invocation when present.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Incoming W3C tracestate; Nimbus's entry <c>nimbus=hops:N</c> is the caller's hop count.</summary>
    public string? TraceState { get; init; }

    /// <summary>Incoming AWS X-Ray header (<c>X-Amzn-Trace-Id</c>), used when there is no traceparent: what the AWS SDKs forward.</summary>
    public string? XRayTrace { get; init; }

    /// <summary>Lambda's client context (decoded JSON), handed to the function as is.</summary>
    public string? ClientContext { get; init; }

    /// <summary>Keep the invocation's log lines so the caller gets the last 4 KB in the result.</summary>
    public bool CaptureLogTail { get; init; }

    /// <summary>Reads a header of the caller's HTTP request (null for calls that have none): where an A/B split finds a
    /// <c>header:NAME</c> or <c>cookie:NAME</c> key.</summary>
    public Func<string, string?>? Header { get; init; }
}
