namespace Nimbus.Core.Tracing;

/// <summary>An invocation's span as the trace list sees it (see <see cref="PlatformSpans.Shape"/>).</summary>
/// <param name="Start">The span's start: the hand-over less the queue wait and the init.</param>
/// <param name="DurationMs">The span's duration: queue wait, init and execution.</param>
/// <param name="Error">Whether the invocation failed (any outcome but success).</param>
/// <param name="PhaseCount">How many phase spans it unfolds into (queue wait, init, execute).</param>
public readonly record struct InvocationSpanShape(DateTimeOffset Start, double DurationMs, bool Error, int PhaseCount);
