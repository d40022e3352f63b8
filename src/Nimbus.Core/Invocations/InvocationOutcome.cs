namespace Nimbus.Core.Invocations;

/// <summary>How an invocation ended. Expected failures are values, not exceptions.</summary>
public enum InvocationOutcome
{
    Success,
    FunctionError,
    Timeout,
    OutOfMemory,
    Crashed,
    InitError,
    Throttled,
}
