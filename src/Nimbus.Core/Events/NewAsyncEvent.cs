namespace Nimbus.Core.Events;

/// <summary>An event to accept; <paramref name="MaximumQueueDepth"/> is the function's bound at this moment.</summary>
/// <param name="HeaderKey">The function's <c>header:NAME</c> idempotency key as the request carried it; null otherwise.</param>
public sealed record NewAsyncEvent(
    string FunctionName,
    string? Qualifier,
    ReadOnlyMemory<byte> Payload,
    string RequestId,
    string? TraceParent,
    int MaximumQueueDepth,
    EventHeaderKey? HeaderKey = null);
