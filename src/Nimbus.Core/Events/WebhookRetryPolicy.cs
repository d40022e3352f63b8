namespace Nimbus.Core.Events;

/// <summary>
/// When a webhook delivery is tried again. Pure. A 2xx answer delivers; no answer (connection refused, timeout), 408,
/// 429 and 5xx are tried again after the next delay; any other status is final (the receiver refused the record, and
/// sending it again would be refused again).
/// </summary>
public static class WebhookRetryPolicy
{
    /// <summary>10 s, 30 s, 1 min, 5 min, 15 min, 1 h: seven attempts over about 1 h 21 min.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)];

    public static bool IsDelivered(int? status) => status is >= 200 and < 300;

    public static bool IsRetryable(int? status) => status is null or 408 or 429 or >= 500;

    /// <summary>The next attempt's time after attempt number <paramref name="attempt"/> (1-based) got <paramref name="status"/>; null when none follows.</summary>
    public static DateTimeOffset? NextAttempt(int attempt, int? status, IReadOnlyList<TimeSpan> delays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delays);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (IsDelivered(status) || !IsRetryable(status) || attempt > delays.Count)
        {
            return null;
        }

        return now + delays[attempt - 1];
    }
}
