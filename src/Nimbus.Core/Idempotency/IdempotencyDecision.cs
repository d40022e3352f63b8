namespace Nimbus.Core.Idempotency;

/// <summary>What the front door does with an invocation whose key has (or has no) record.</summary>
public enum IdempotencyDecision
{
    /// <summary>No live record: claim one (in progress) and run the function.</summary>
    Run,

    /// <summary>A completed record within its TTL: answer its response without running.</summary>
    ReturnStored,

    /// <summary>Another invocation with the key is running: 409 IdempotencyConflict (sync) or wait (async).</summary>
    Conflict,
}
