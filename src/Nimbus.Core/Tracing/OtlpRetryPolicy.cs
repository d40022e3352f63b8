namespace Nimbus.Core.Tracing;

/// <summary>
/// When an OTLP export that failed is sent again: after a connection failure or a status the OTLP specification calls
/// retryable (429, 502, 503, 504), up to <see cref="MaxAttempts"/> sends in all, waiting 1 s then 2 s. Any other status
/// (a 400 the collector will answer again) drops the batch at once. Brief on purpose: the export queue is bounded, and
/// a collector that stays down costs spans, not memory.
/// </summary>
public static class OtlpRetryPolicy
{
    public const int MaxAttempts = 3;

    /// <summary>The wait before the next send after <paramref name="attempt"/> (1-based) failed, or null to give up.</summary>
    /// <param name="statusCode">The answer's HTTP status, or null when there was no answer (connection refused, timeout).</param>
    public static TimeSpan? NextDelay(int attempt, int? statusCode)
    {
        if (attempt >= MaxAttempts || !IsRetryable(statusCode))
        {
            return null;
        }

        return TimeSpan.FromSeconds(1 << (attempt - 1));
    }

    public static bool IsRetryable(int? statusCode) => statusCode is null or 429 or 502 or 503 or 504;
}
