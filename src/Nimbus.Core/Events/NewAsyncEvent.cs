namespace Nimbus.Core.Events;

/// <summary>An event to accept; <paramref name="MaximumQueueDepth"/> is the function's bound at this moment.</summary>
public sealed record NewAsyncEvent(
    string FunctionName,
    string? Qualifier,
    ReadOnlyMemory<byte> Payload,
    string RequestId,
    string? TraceParent,
    int MaximumQueueDepth);
