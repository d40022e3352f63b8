namespace Nimbus.Functions;

/// <summary>What a handler knows about the invocation it is serving.</summary>
public interface IFunctionContext
{
    /// <summary>The invocation's request id (Lambda's <c>awsRequestId</c>); also the id its log lines carry.</summary>
    string RequestId { get; }

    /// <summary>The function's name.</summary>
    string FunctionName { get; }

    /// <summary>The version being run: a number, or <c>$LATEST</c>.</summary>
    string FunctionVersion { get; }

    /// <summary>The identifier the caller invoked, including an alias or version qualifier when one was used.</summary>
    string InvokedFunctionArn { get; }

    /// <summary>The memory configured for the function, in MB.</summary>
    int MemoryLimitMb { get; }

    /// <summary>When the platform stops waiting for this invocation and records a timeout.</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>Time left until <see cref="Deadline"/>; never negative.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>The Lambda-style trace header (<c>Root=…;Parent=…;Sampled=…</c>), also set as <c>_X_AMZN_TRACE_ID</c>.</summary>
    string? TraceId { get; }

    /// <summary>The W3C <c>traceparent</c> of this invocation; pass it on to continue the trace in calls you make.</summary>
    string? TraceParent { get; }

    /// <summary>The caller's client context (JSON), when one was sent.</summary>
    string? ClientContext { get; }

    /// <summary>Cancelled when <see cref="Deadline"/> passes: pass it to I/O so that work stops when nobody waits for it.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>A structured logger whose records carry this invocation's request id.</summary>
    IFunctionLogger Logger { get; }
}
