namespace Nimbus.Server.Runtime;

public enum ThrottleReason
{
    None,

    /// <summary>Reserved concurrency is 0: the function is switched off.</summary>
    FunctionDisabled,

    /// <summary>The function's reserved concurrency is in use.</summary>
    ReservedConcurrency,

    /// <summary>The platform-wide concurrency (shared by functions without a reservation) is in use.</summary>
    PlatformConcurrency,
}
