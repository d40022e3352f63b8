namespace Nimbus.Server.Events;

/// <summary>Wakes the queue processor: an accepted batch, a finished attempt.</summary>
public sealed class AsyncEventSignal : WakeSignal;
