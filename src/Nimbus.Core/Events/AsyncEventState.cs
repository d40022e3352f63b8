namespace Nimbus.Core.Events;

/// <summary>Where an accepted async event is in its life. Succeeded and DeadLettered are final.</summary>
public enum AsyncEventState
{
    Queued,
    Leased,
    Succeeded,
    Retrying,
    DeadLettered,
}
