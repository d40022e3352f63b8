namespace Nimbus.Functions.Runtime;

internal sealed class FunctionContext(
    Invocation invocation,
    RuntimeEnvironment environment,
    DateTimeOffset deadline,
    TimeProvider timeProvider,
    CancellationToken cancellationToken,
    IFunctionLogger logger,
    IFunctionMetrics metrics) : IFunctionContext
{
    public IFunctionMetrics Metrics => metrics;

    public string RequestId { get; } = invocation.RequestId;

    public string FunctionName => environment.FunctionName;

    public string FunctionVersion => environment.FunctionVersion;

    public string InvokedFunctionArn { get; } = invocation.InvokedFunctionArn;

    public int MemoryLimitMb => environment.MemoryLimitMb;

    public DateTimeOffset Deadline => deadline;

    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = deadline - timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    public string? TraceId { get; } = invocation.TraceId;

    public string? TraceParent { get; } = invocation.TraceParent;

    public string? ClientContext { get; } = invocation.ClientContext;

    public CancellationToken CancellationToken => cancellationToken;

    public IFunctionLogger Logger => logger;

    public async Task<FunctionInvokeResult> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload,
        FunctionInvocationType invocationType = FunctionInvocationType.RequestResponse, CancellationToken cancellationToken = default)
    {
        var endpoint = environment.LambdaEndpoint
            ?? throw new InvalidOperationException("AWS_ENDPOINT_URL_LAMBDA is not set: the platform did not say where the invoke API is");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(this.CancellationToken, cancellationToken);
        using var request = FunctionInvoker.CreateRequest(endpoint, functionName, payload, invocationType, TraceParent, invocation.TraceState, TraceId);
        return await FunctionInvoker.InvokeAsync(request, linked.Token).ConfigureAwait(false);
    }
}
