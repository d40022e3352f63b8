using Nimbus.Core.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Gateway;

/// <summary>Words for throttles, shared by the native, Lambda and HTTP route endpoints.</summary>
public static class InvokeOutcomeMapper
{
    public static string ThrottleDetail(string functionName, InvocationResult result) => result.ThrottleReason switch
    {
        ThrottleReason.FunctionDisabled =>
            $"Function '{functionName}' is disabled: its reserved concurrency is 0. Raise it to turn the function back on.",
        ThrottleReason.ReservedConcurrency =>
            $"Rate exceeded: function '{functionName}' is at its reserved concurrency of {result.Limit} concurrent executions.",
        _ =>
            $"Rate exceeded: the platform is at its limit of {result.Limit} concurrent executions shared by functions without reserved concurrency.",
    };

    public static string ThrottleTitle(InvocationResult result) =>
        result.ThrottleReason == ThrottleReason.FunctionDisabled ? "Function disabled" : "Throttled";

    public static bool IsResponseTooLarge(InvocationResult result) => result.ErrorType == ErrorTypes.ResponseTooLarge;
}
