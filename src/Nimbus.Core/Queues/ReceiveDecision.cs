namespace Nimbus.Core.Queues;

/// <summary>What receiving a visible message does with it.</summary>
public enum ReceiveDecision
{
    /// <summary>Hand it to the receiver and hide it for the visibility timeout.</summary>
    Deliver,

    /// <summary>It was received <c>maxReceiveCount</c> times already: move it to the queue's dead-letter queue.</summary>
    DeadLetter,

    /// <summary>It outlived the queue's retention: delete it.</summary>
    Expire,
}
