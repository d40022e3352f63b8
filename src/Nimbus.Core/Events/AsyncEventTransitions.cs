using System.Collections.Frozen;

namespace Nimbus.Core.Events;

/// <summary>
/// The transition table of an async event. Anything not in it is a bug in the caller, so <see cref="Next"/> throws
/// and the store never writes a state the table does not allow.
/// </summary>
public static class AsyncEventTransitions
{
    private static readonly FrozenDictionary<(AsyncEventState, AsyncEventTrigger), AsyncEventState> s_table =
        new Dictionary<(AsyncEventState, AsyncEventTrigger), AsyncEventState>
        {
            [(AsyncEventState.Queued, AsyncEventTrigger.Lease)] = AsyncEventState.Leased,
            [(AsyncEventState.Retrying, AsyncEventTrigger.Lease)] = AsyncEventState.Leased,

            // An expired lease (its holder crashed) may be taken again by anyone.
            [(AsyncEventState.Leased, AsyncEventTrigger.Lease)] = AsyncEventState.Leased,
            [(AsyncEventState.Leased, AsyncEventTrigger.Succeed)] = AsyncEventState.Succeeded,
            [(AsyncEventState.Leased, AsyncEventTrigger.ScheduleRetry)] = AsyncEventState.Retrying,
            [(AsyncEventState.Leased, AsyncEventTrigger.Postpone)] = AsyncEventState.Retrying,
            [(AsyncEventState.Leased, AsyncEventTrigger.Release)] = AsyncEventState.Queued,
            [(AsyncEventState.Leased, AsyncEventTrigger.DeadLetter)] = AsyncEventState.DeadLettered,
            [(AsyncEventState.DeadLettered, AsyncEventTrigger.Redrive)] = AsyncEventState.Queued,
        }.ToFrozenDictionary();

    public static bool IsAllowed(AsyncEventState from, AsyncEventTrigger trigger) => s_table.ContainsKey((from, trigger));

    /// <summary>The state after <paramref name="trigger"/>; throws <see cref="InvalidOperationException"/> when not allowed.</summary>
    public static AsyncEventState Next(AsyncEventState from, AsyncEventTrigger trigger) =>
        s_table.TryGetValue((from, trigger), out var next)
            ? next
            : throw new InvalidOperationException($"an async event in state {from} cannot take trigger {trigger}");

    public static bool IsFinal(AsyncEventState state) => state is AsyncEventState.Succeeded or AsyncEventState.DeadLettered;
}
