using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Alarms;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms.Notifications;

/// <summary>
/// Every <see cref="Interval"/> (on the <see cref="TimeProvider"/>) delivers the notifications whose attempt is due,
/// recording each attempt; a failed one is tried again after <see cref="NotificationRetryPolicy"/>'s backoff until it
/// gives up. The outbox is in alarms.db, so pending deliveries survive a restart.
/// </summary>
public sealed partial class NotificationDispatcher(
    SqliteAlarmStore alarms,
    NotificationSender sender,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int Batch = 50;

    /// <summary>One pass at <paramref name="now"/>; returns how many attempts it made.</summary>
    public async Task<int> DeliverDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await alarms.ListDueNotificationsAsync(now, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var (delivery, payload) in due)
        {
            SendOutcome outcome;
            var parsed = NotificationTarget.TryParse(delivery.Target, out var target, out var error);
            if (!parsed)
            {
                outcome = new SendOutcome(false, null, error);
            }
            else
            {
                outcome = await sender.SendAsync(target, delivery.Event, delivery.Id, payload, now, cancellationToken).ConfigureAwait(false);
            }

            var attempts = delivery.Attempts + 1;
            var retryAt = outcome.Delivered || !parsed ? null : NotificationRetryPolicy.DelayAfter(attempts) is { } delay ? now + delay : (DateTimeOffset?)null;
            await alarms.RecordNotificationAttemptAsync(delivery.Id, outcome.Delivered, retryAt, outcome.StatusCode, outcome.Error, now, cancellationToken).ConfigureAwait(false);
            if (!outcome.Delivered)
            {
                LogAttemptFailed(delivery.Alarm, delivery.Target, attempts, outcome.Error ?? "", retryAt is null ? "giving up" : "will retry");
            }
        }

        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await DeliverDueAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
                {
                    LogPassFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Notification of alarm {AlarmName} to {Target} failed (attempt {Attempt}): {Error}; {Next}")]
    private partial void LogAttemptFailed(string alarmName, string target, int attempt, string error, string next);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Notification delivery pass failed; retrying on the next tick")]
    private partial void LogPassFailed(Exception exception);
}
