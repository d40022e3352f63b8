namespace Nimbus.Server.Events;

/// <summary>What acceptance of one async event answered.</summary>
public enum AcceptResult
{
    /// <summary>Committed to the store: answer 202.</summary>
    Accepted,

    /// <summary>The function's queue is at its bound: answer 429 QueueFull.</summary>
    QueueFull,

    /// <summary>The platform is stopping: answer 503.</summary>
    NotAccepting,
}
