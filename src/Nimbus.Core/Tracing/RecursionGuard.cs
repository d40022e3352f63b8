namespace Nimbus.Core.Tracing;

/// <summary>
/// Stops function-to-function chains that loop: an invocation more than <see cref="MaxHops"/> calls away from the call
/// that started its chain is dropped, unless its function allows recursive loops.
/// </summary>
public static class RecursionGuard
{
    /// <summary>How many function-to-function calls one chain may make (Lambda stops after about 16).</summary>
    public const int MaxHops = 16;

    /// <summary>The error type of a sync call that was stopped, and the async failure condition.</summary>
    public const string ErrorType = "RecursiveInvocationDropped";

    public static bool ShouldDrop(int hops, RecursiveLoop? policy) => hops > MaxHops && (policy ?? RecursiveLoop.Terminate) == RecursiveLoop.Terminate;
}
