namespace Nimbus.Server.Events;

/// <summary>Platform-wide settings of the async event queue (per-function ones are on <c>FunctionConfig.Async</c>).</summary>
public sealed record AsyncEventOptions
{
    /// <summary>Largest payload of an async invocation, as on Lambda (256 KB).</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>Most async invocations running at once across all functions.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Most events one group commit writes.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Added to a function's timeout (and init limit) to get its lease: a lease must outlast the attempt.</summary>
    public TimeSpan LeaseMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the processor sleeps without looking at the queue (a wake-up normally comes sooner).</summary>
    public TimeSpan MaxIdle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits between webhook delivery attempts; the number of attempts is one more than the delays.</summary>
    public IReadOnlyList<TimeSpan> WebhookRetryDelays { get; init; } = Core.Events.WebhookRetryPolicy.DefaultDelays;

    /// <summary>Longest one webhook POST may take before it counts as no answer.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most webhook POSTs in flight at once.</summary>
    public int WebhookConcurrency { get; init; } = 8;
}
