namespace Nimbus.Core.Alarms;

/// <summary>
/// When a failed notification is tried again: 5 s after the first failure, doubling each time (5, 10, 20 … 320 s),
/// giving up after <see cref="MaxAttempts"/> attempts (about 10 minutes of trying). A receiver that answers 2xx has it;
/// anything else, or no answer, is a failure. Pure.
/// </summary>
public static class NotificationRetryPolicy
{
    public const int MaxAttempts = 8;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(5);

    /// <summary>The wait after <paramref name="attemptsMade"/> failed attempts, or null when it is time to give up.</summary>
    public static TimeSpan? DelayAfter(int attemptsMade) =>
        attemptsMade >= MaxAttempts ? null : FirstDelay * Math.Pow(2, Math.Max(0, attemptsMade - 1));
}
