using Nimbus.Core.Alarms;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Alarms.Notifications;

/// <summary>
/// Turns a recorded transition into notifications: when <see cref="NotificationPolicy"/> says so, writes one per
/// target to the outbox (the <see cref="NotificationDispatcher"/> delivers them), each saying what the alarm means,
/// the reason with its datapoints, the runbook, the function's recent errors and the changes of the hour before.
/// </summary>
public sealed class AlarmNotifier(SqliteAlarmStore alarms, SqliteObservabilityStore observability, TimelineService timeline)
{
    public static readonly TimeSpan ChangesLookBack = TimeSpan.FromHours(1);
    private const int MaxErrors = 3;
    private const int MaxChanges = 10;

    /// <summary>Queues the transition's notifications; returns how many.</summary>
    public async Task<int> OnTransitionAsync(AlarmRecord alarm, AlarmTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(transition);
        if (alarm.Definition.Notify.Count == 0 || !NotificationPolicy.ShouldNotify(transition, alarm.Definition.NotifyOn, alarm.MutedUntil))
        {
            return 0;
        }

        var message = await BuildAsync(alarm, AlarmNotification.TransitionEvent, transition.OldState, transition.NewState, transition.Reason,
            transition.Timestamp, cancellationToken).ConfigureAwait(false);
        return (await EnqueueAsync(alarm, message, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary>
    /// A watched alarm rolled a deployment back: one notification per target of the alarm (whatever its <c>notifyOn</c>:
    /// a rollback is news even to those who only hear of ALARM), unless it is muted; the reason names the datapoints.
    /// Returns how many.
    /// </summary>
    public async Task<int> OnDeploymentRolledBackAsync(
        AlarmRecord alarm, NotificationDeployment deployment, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(deployment);
        if (alarm.Definition.Notify.Count == 0 || alarm.IsMuted(at))
        {
            return 0;
        }

        var message = await BuildAsync(alarm, AlarmNotification.DeploymentRolledBackEvent, AlarmState.Ok, AlarmState.Alarm, reason, at, cancellationToken)
            .ConfigureAwait(false);
        return (await EnqueueAsync(alarm, message with { Deployment = deployment }, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary><c>nimbus alarms test</c>: a notification to every target now, marked as a test, muted or not.</summary>
    public async Task<IReadOnlyList<long>> SendTestAsync(AlarmRecord alarm, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var message = await BuildAsync(alarm, AlarmNotification.TestEvent, alarm.State, AlarmState.Alarm,
            $"Test notification requested at {now:yyyy-MM-dd HH:mm:ss} UTC; the alarm is really {AlarmStateNames.ToName(alarm.State)}: {alarm.Reason}",
            now, cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(alarm, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The changes to the alarm's function in the hour before <paramref name="at"/>, newest first.</summary>
    public async Task<IReadOnlyList<NotificationChange>> RecentChangesAsync(string function, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await timeline.ReadAsync(function, at - ChangesLookBack, 100, cancellationToken).ConfigureAwait(false))
            .Where(e => TimelineKinds.IsChange(e.Kind) && e.Timestamp <= at)
            .Take(MaxChanges)
            .Select(e => new NotificationChange(e.Timestamp, e.Kind, e.Summary))
            .ToList();

    /// <summary>What the notification links: the alarm's own runbook URL, else the command that prints its runbook.</summary>
    public static string RunbookLink(AlarmDefinition alarm) =>
        alarm.Runbook is { } runbook && Uri.TryCreate(runbook.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? runbook.Trim()
            : $"nimbus runbook {alarm.Name} (GET /api/v1/alarms/{Uri.EscapeDataString(alarm.Name)}/runbook)";

    private async Task<AlarmNotification> BuildAsync(
        AlarmRecord alarm, string @event, AlarmState from, AlarmState to, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var function = alarm.Definition.Dimensions.Function;
        var errors = (await observability.ListErrorGroupsAsync(function, MaxErrors, cancellationToken).ConfigureAwait(false))
            .Select(g => new NotificationError(g.ErrorType, g.Message, g.Count, g.LastSeen)).ToList();
        var changes = await RecentChangesAsync(function, at, cancellationToken).ConfigureAwait(false);
        return new AlarmNotification(@event, alarm.Definition.Name, function, AlarmStateNames.ToName(from), AlarmStateNames.ToName(to), reason,
            alarm.Definition.Description, at, RunbookLink(alarm.Definition), errors, changes);
    }

    private async Task<IReadOnlyList<long>> EnqueueAsync(AlarmRecord alarm, AlarmNotification message, CancellationToken cancellationToken)
    {
        var items = new List<(string, string)>();
        foreach (var text in alarm.Definition.Notify)
        {
            if (NotificationTarget.TryParse(text, out var target, out _))
            {
                items.Add((target.ToString(), target.Kind == NotificationKind.Slack ? NotificationPayloads.Slack(message) : NotificationPayloads.Webhook(message)));
            }
        }

        return items.Count == 0 ? [] : await alarms.EnqueueNotificationsAsync(alarm.Definition.Name, message.Event, items, message.Timestamp, cancellationToken).ConfigureAwait(false);
    }
}
