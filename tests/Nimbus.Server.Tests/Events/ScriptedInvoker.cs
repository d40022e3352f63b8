using System.Collections.Concurrent;
using Nimbus.Core.Events;
using Nimbus.Server.Events;

namespace Nimbus.Server.Tests.Events;

/// <summary>Answers each attempt with the next scripted outcome (the last one repeats) and records the attempts.</summary>
public sealed class ScriptedInvoker(params AsyncAttemptOutcome[] outcomes) : IAsyncEventInvoker
{
    private int _next;

    public ConcurrentQueue<AsyncEvent> Attempts { get; } = new();

    public Task<AsyncAttemptResult> InvokeAsync(AsyncEvent item, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(item);
        var number = Interlocked.Increment(ref _next);
        var index = Math.Min(number - 1, outcomes.Length - 1);
        var outcome = outcomes[index];
        return Task.FromResult(outcome == AsyncAttemptOutcome.Success
            ? new AsyncAttemptResult(outcome, "$LATEST", DurationMs: 5)
            : new AsyncAttemptResult(outcome, "$LATEST", "Handled.Error", $"attempt {number} failed", 5));
    }
}
