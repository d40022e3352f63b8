namespace Nimbus.Server.Events.Queues;

public enum SendStatus
{
    Accepted,

    /// <summary>The queue holds its maximum depth of messages.</summary>
    QueueFull,

    QueueNotFound,
}
