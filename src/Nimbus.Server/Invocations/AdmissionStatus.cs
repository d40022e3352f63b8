namespace Nimbus.Server.Invocations;

/// <summary>Whether the front door let an invocation in, and if not, why.</summary>
public enum AdmissionStatus
{
    Admitted,

    /// <summary>The platform is shutting down.</summary>
    NotAccepting,
    FunctionNotFound,

    /// <summary>The function exists but not the version or alias asked for (or the alias points at a missing version).</summary>
    QualifierNotFound,

    /// <summary><c>$LATEST</c> of a function that has no code yet.</summary>
    NoCode,

    /// <summary>The call is more than 16 function-to-function hops down its chain and the function terminates loops.</summary>
    RecursiveInvocationDropped,
    /// <summary>Another invocation with the same idempotency key is still running.</summary>
    IdempotencyConflict,
}
