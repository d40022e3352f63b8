using Nimbus.Core.Alarms;
using Nimbus.Core.Deployments;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// Sends an automatic rollback through the alarm notification path: the alarm that caused it (a default alarm evaluated
/// on the new version, or a named one) is looked up in the alarm store for its targets and mute, and
/// <see cref="AlarmNotifier"/> queues a <c>deployment.rolledBack</c> notification whose reason names the datapoints.
/// </summary>
public sealed class DeploymentRollbackNotifier(SqliteAlarmStore alarms, AlarmNotifier notifier)
{
    /// <summary>Queues the notifications of a rollback by <paramref name="alarm"/>; returns how many.</summary>
    public async Task<int> NotifyAsync(Deployment deployment, WatchedAlarm alarm, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(alarm);
        if (await alarms.GetAsync(alarm.Name, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return 0;
        }

        var target = new NotificationDeployment(deployment.Id, deployment.Alias, deployment.FromVersion, deployment.ToVersion, deployment.Strategy.DisplayName);
        return await notifier.OnDeploymentRolledBackAsync(record, target, deployment.Reason ?? alarm.Detail ?? "", at, cancellationToken).ConfigureAwait(false);
    }
}
