namespace Nimbus.Server.Runtime;

/// <summary>What an invocation does when it looks for a slot in a pool with several slots per instance.</summary>
public enum SlotDecision
{
    /// <summary>It took a free slot of a running instance.</summary>
    Taken,

    /// <summary>An instance still starting will have a slot for it: it waits.</summary>
    Promised,

    /// <summary>It starts an instance; the slots that instance will have beyond its own are counted already.</summary>
    Start,
}
