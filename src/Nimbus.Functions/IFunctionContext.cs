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

    /// <summary>Custom metrics, written as Embedded Metric Format lines: <c>context.Metrics.Add("OrderValue", 42, "None")</c>.</summary>
    IFunctionMetrics Metrics { get; }

    /// <summary>
    /// Calls another function through Lambda's invoke API at <c>AWS_ENDPOINT_URL_LAMBDA</c>, sync or as an event,
    /// continuing this invocation's trace (the callee's span is a child of this one, one hop further down the chain).
    /// Cancelled by <see cref="CancellationToken"/> as well as <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="functionName">The function, optionally qualified (<c>orders:live</c>).</param>
    /// <param name="payload">The event, as JSON.</param>
    /// <param name="invocationType">Wait for the answer, or queue an event.</param>
    /// <param name="cancellationToken">Stops waiting (the call may still run).</param>
    /// <exception cref="FunctionInvokeException">The platform refused the call (not found, throttled, too deep a chain, ...).</exception>
    /// <exception cref="InvalidOperationException"><c>AWS_ENDPOINT_URL_LAMBDA</c> is not set.</exception>
    Task<FunctionInvokeResult> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload,
        FunctionInvocationType invocationType = FunctionInvocationType.RequestResponse, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="InvokeAsync(string, ReadOnlyMemory{byte}, FunctionInvocationType, System.Threading.CancellationToken)"/>
    Task<FunctionInvokeResult> InvokeAsync(string functionName, string payload,
        FunctionInvocationType invocationType = FunctionInvocationType.RequestResponse, CancellationToken cancellationToken = default) =>
        InvokeAsync(functionName, System.Text.Encoding.UTF8.GetBytes(payload), invocationType, cancellationToken);
}
