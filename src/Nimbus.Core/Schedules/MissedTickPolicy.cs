namespace Nimbus.Core.Schedules;

/// <summary>What a schedule does about ticks that passed while Nimbus was not running.</summary>
public enum MissedTickPolicy
{
    /// <summary>One catch-up run for all the missed ticks together, never a burst (the default).</summary>
    Once,

    /// <summary>Missed ticks are dropped; the schedule carries on from the next tick.</summary>
    Skip,
}
