namespace Nimbus.Server.Storage;

/// <summary>What became of one event handed to <see cref="SqliteEventQueue.EnqueueAsync"/>.</summary>
public enum EnqueueStatus
{
    /// <summary>Committed: it will run at least once.</summary>
    Accepted,

    /// <summary>The function already has its maximum queue depth of events waiting.</summary>
    QueueFull,
}
