namespace Nimbus.Core.Events;

/// <summary>
/// Lambda's retry rules for async events, as pure functions of the settings, the event's history and the time.
/// </summary>
/// <remarks>
/// Function errors, timeouts, out-of-memory, crashes and init errors are failures: each uses one of
/// <see cref="AsyncConfig.RetryAttempts"/> retries, after <see cref="AsyncConfig.RetryDelays"/>. Throttles and a
/// stopping platform are not failures: the event is postponed with exponential backoff (1 s doubling up to 5 min) and
/// uses no retry. Every path ends at the maximum event age at the latest.
/// </remarks>
public static class AsyncRetryPolicy
{
    public static readonly TimeSpan FirstPostponement = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxPostponement = TimeSpan.FromMinutes(5);

    /// <summary>The last moment the event may still be attempted.</summary>
    public static DateTimeOffset Deadline(AsyncConfig config, DateTimeOffset enqueuedAt) => enqueuedAt + config.MaximumEventAge;

    /// <summary>True when the event is older than its maximum age and must not be attempted again.</summary>
    public static bool IsExpired(AsyncConfig config, DateTimeOffset enqueuedAt, DateTimeOffset now) => now >= Deadline(config, enqueuedAt);

    /// <param name="failedAttempts">Failed attempts before this one (postponements do not count).</param>
    /// <param name="postponements">Times the event was postponed before (throttles, platform stopping).</param>
    public static AsyncDecision Decide(
        AsyncConfig config, DateTimeOffset enqueuedAt, int failedAttempts, int postponements, AsyncAttemptOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (outcome)
        {
            case AsyncAttemptOutcome.Success:
                return AsyncDecision.Succeed;
            case AsyncAttemptOutcome.ZeroReservedConcurrency:
                return AsyncDecision.DeadLetter(AsyncConditions.ZeroReservedConcurrency);
            case AsyncAttemptOutcome.RecursiveInvocationDropped:
                return AsyncDecision.DeadLetter(AsyncConditions.RecursiveInvocationDropped);
            case AsyncAttemptOutcome.Throttled or AsyncAttemptOutcome.PlatformStopping or AsyncAttemptOutcome.IdempotencyInProgress:
                return Postpone(config, enqueuedAt, postponements, now);
        }

        var failures = failedAttempts + 1;
        if (failures > config.RetryAttempts)
        {
            return AsyncDecision.DeadLetter(AsyncConditions.RetriesExhausted);
        }

        var visibleAt = now + RetryDelay(config, failures);
        return visibleAt >= Deadline(config, enqueuedAt)
            ? AsyncDecision.DeadLetter(AsyncConditions.EventAgeExceeded)
            : AsyncDecision.Retry(visibleAt);
    }

    /// <summary>The delay before retry <paramref name="retry"/> (1-based); the last configured delay repeats.</summary>
    public static TimeSpan RetryDelay(AsyncConfig config, int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var delays = config.RetryDelays;
        return TimeSpan.FromSeconds(delays[Math.Min(retry, delays.Count) - 1]);
    }

    /// <summary>The wait after the <paramref name="postponements"/>-th postponement (0-based): 1 s, 2 s, 4 s ... 5 min.</summary>
    public static TimeSpan PostponementDelay(int postponements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(postponements);
        var seconds = FirstPostponement.TotalSeconds * Math.Pow(2, Math.Min(postponements, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxPostponement.TotalSeconds));
    }

    private static AsyncDecision Postpone(AsyncConfig config, DateTimeOffset enqueuedAt, int postponements, DateTimeOffset now)
    {
        var deadline = Deadline(config, enqueuedAt);
        if (now >= deadline)
        {
            return AsyncDecision.DeadLetter(AsyncConditions.EventAgeExceeded);
        }

        // Never later than the deadline: there the event is looked at once more and sent to the failure path.
        var visibleAt = now + PostponementDelay(postponements);
        return AsyncDecision.Postpone(visibleAt < deadline ? visibleAt : deadline);
    }
}
