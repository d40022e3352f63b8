using Nimbus.Core.Invocations;

namespace Nimbus.Core.Queues;

/// <summary>What happens to a batch's messages after the consumer ran (or could not run). Pure.</summary>
/// <param name="Delete">Messages processed: deleted from the queue.</param>
/// <param name="Retry">Messages left hidden until their visibility timeout ends, then received again (counted).</param>
/// <param name="BackOff">Messages made visible again after a short back-off (the consumer had no capacity).</param>
/// <param name="Release">Messages made visible at once (the platform is stopping; nothing ran).</param>
public sealed record BatchSettlement(
    IReadOnlyList<string> Delete, IReadOnlyList<string> Retry, IReadOnlyList<string> BackOff, IReadOnlyList<string> Release)
{
    /// <param name="outcome">The invocation's outcome; null when it was not admitted.</param>
    /// <param name="stopping">Not admitted because the platform is shutting down.</param>
    public static BatchSettlement Decide(
        IReadOnlyList<string> messageIds, InvocationOutcome? outcome, bool stopping, bool reportBatchItemFailures, ReadOnlySpan<byte> response)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        switch (outcome)
        {
            case null when stopping:
                return new([], [], [], messageIds);
            case InvocationOutcome.Throttled:
                return new([], [], messageIds, []);
            case InvocationOutcome.Success when !reportBatchItemFailures:
                return new(messageIds, [], [], []);
            case InvocationOutcome.Success:
                var failed = BatchResponse.FailedItems(response, messageIds);
                if (failed is null)
                {
                    return new([], messageIds, [], []);
                }

                return new([.. messageIds.Where(id => !failed.Contains(id))], [.. messageIds.Where(failed.Contains)], [], []);
            default:
                // A function error, timeout or crash returns the whole batch, as does a function that is gone.
                return new([], messageIds, [], []);
        }
    }
}
