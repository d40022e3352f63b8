namespace Nimbus.Core.Events;

/// <summary>What happens to an event; <see cref="AsyncEventTransitions"/> says which state each leads to.</summary>
public enum AsyncEventTrigger
{
    /// <summary>A processor takes a due event (or one whose lease expired) for one attempt.</summary>
    Lease,

    /// <summary>The attempt succeeded: the event is acked.</summary>
    Succeed,

    /// <summary>The attempt failed and a retry is left: it waits for its retry delay.</summary>
    ScheduleRetry,

    /// <summary>The attempt was throttled or the platform is stopping: not a failure, it waits with backoff.</summary>
    Postpone,

    /// <summary>The event's holder went away (stop, crash, expired lease): it is due again, the attempt not counted.</summary>
    Release,

    /// <summary>Retries or age are spent, or reserved concurrency is 0: the failure path.</summary>
    DeadLetter,

    /// <summary>A dead letter is put back on the queue with fresh attempts.</summary>
    Redrive,
}
