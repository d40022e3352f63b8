namespace Nimbus.Server.Events.Queues;

/// <summary>Wakes the event source poller: a sent message, a resume, a finished batch.</summary>
public sealed class EventSourceSignal : WakeSignal;
