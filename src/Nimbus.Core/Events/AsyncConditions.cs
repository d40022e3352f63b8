namespace Nimbus.Core.Events;

/// <summary>Lambda's invocation-record conditions: why an event ended where it did.</summary>
public static class AsyncConditions
{
    public const string Success = "Success";
    public const string RetriesExhausted = "RetriesExhausted";
    public const string EventAgeExceeded = "EventAgeExceeded";
    public const string ZeroReservedConcurrency = "ZeroReservedConcurrency";
    public const string RecursiveInvocationDropped = "RecursiveInvocationDropped";
}
