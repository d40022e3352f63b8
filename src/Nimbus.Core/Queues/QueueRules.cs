namespace Nimbus.Core.Queues;

/// <summary>
/// SQS's message rules, pure and on a given clock: when a sent message becomes visible, what a receive does, how long it
/// hides the message, and when a failed batch is looked at again.
/// </summary>
public static class QueueRules
{
    /// <summary>Lambda's advice for a queue feeding a function: six times the function's timeout.</summary>
    public const int ConsumerTimeoutFactor = 6;

    /// <summary>How long a throttled batch waits at most before it is tried again.</summary>
    public static readonly TimeSpan MaxThrottleBackoff = TimeSpan.FromMinutes(1);

    /// <summary>When a message sent at <paramref name="now"/> first becomes visible.</summary>
    public static DateTimeOffset FirstVisibleAt(QueueConfig queue, DateTimeOffset now, int? messageDelaySeconds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return now + TimeSpan.FromSeconds(messageDelaySeconds ?? queue.DelaySeconds);
    }

    /// <summary>
    /// The visibility timeout a receive uses: the declared one, else six times the consumer's timeout (at least the SQS
    /// default), else the SQS default.
    /// </summary>
    public static TimeSpan VisibilityTimeout(QueueConfig queue, double? consumerTimeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (queue.VisibilityTimeoutSeconds is { } declared)
        {
            return TimeSpan.FromSeconds(declared);
        }

        var fallback = TimeSpan.FromSeconds(QueueConfig.FallbackVisibilityTimeoutSeconds);
        if (consumerTimeoutSeconds is not { } timeout)
        {
            return fallback;
        }

        var advised = TimeSpan.FromSeconds(Math.Ceiling(timeout * ConsumerTimeoutFactor));
        return advised > fallback ? advised : fallback;
    }

    public static bool IsExpired(QueueConfig queue, DateTimeOffset sentAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return now - sentAt >= TimeSpan.FromSeconds(queue.RetentionSeconds);
    }

    /// <summary>
    /// What a receive at <paramref name="now"/> does with a visible message that has been received
    /// <paramref name="receiveCount"/> times: as in SQS, the receive after the <c>maxReceiveCount</c>-th moves it to the
    /// dead-letter queue instead of delivering it.
    /// </summary>
    public static ReceiveDecision Decide(QueueConfig queue, DateTimeOffset sentAt, int receiveCount, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (IsExpired(queue, sentAt, now))
        {
            return ReceiveDecision.Expire;
        }

        return queue.MaxReceiveCount is { } max && receiveCount >= max ? ReceiveDecision.DeadLetter : ReceiveDecision.Deliver;
    }

    /// <summary>The message after a receive: hidden until <paramref name="now"/> plus the visibility timeout, counted once more.</summary>
    public static QueueMessage Receive(QueueMessage message, DateTimeOffset now, TimeSpan visibilityTimeout, string receiptHandle)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message with
        {
            ReceiveCount = message.ReceiveCount + 1,
            FirstReceivedAt = message.FirstReceivedAt ?? now,
            VisibleAt = now + visibilityTimeout,
            ReceiptHandle = receiptHandle,
        };
    }

    /// <summary>
    /// When a batch the consumer could not take (throttled: no capacity) is tried again: doubling from one second with
    /// each receive, capped at a minute and at the visibility timeout, so a throttled consumer backs off instead of spinning.
    /// </summary>
    public static TimeSpan ThrottleBackoff(int receiveCount, TimeSpan visibilityTimeout)
    {
        var exponent = Math.Clamp(receiveCount - 1, 0, 16);
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, exponent));
        if (backoff > MaxThrottleBackoff)
        {
            backoff = MaxThrottleBackoff;
        }

        return backoff < visibilityTimeout ? backoff : visibilityTimeout;
    }
}
