using System.Text.Json.Serialization;

namespace Nimbus.Core.Events;

/// <summary>How one attempt at an async event ended, as the retry policy needs to know it. Written as its name in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AsyncAttemptOutcome>))]
public enum AsyncAttemptOutcome
{
    Success,
    FunctionError,
    Timeout,
    OutOfMemory,
    Crashed,
    InitError,

    /// <summary>The function was not found (deleted after the event was accepted) or has no code.</summary>
    FunctionNotFound,

    /// <summary>A concurrency limit was in use: not a failure, the event waits.</summary>
    Throttled,

    /// <summary>The platform is stopping: not a failure, the event waits.</summary>
    PlatformStopping,

    /// <summary>An invocation with the same idempotency key is still running: not a failure, the event waits.</summary>
    IdempotencyInProgress,

    /// <summary>Reserved concurrency is 0: straight to the failure path.</summary>
    ZeroReservedConcurrency,

    /// <summary>The event is more than 16 function-to-function hops down its chain: straight to the failure path.</summary>
    RecursiveInvocationDropped,
}
