namespace Nimbus.Core.Idempotency;

/// <summary>The state of an idempotency record.</summary>
public enum IdempotencyState
{
    /// <summary>An invocation with the key is running; it holds the record until its deadline.</summary>
    InProgress,

    /// <summary>An invocation with the key succeeded; its response is replayed until the TTL ends.</summary>
    Completed,
}
