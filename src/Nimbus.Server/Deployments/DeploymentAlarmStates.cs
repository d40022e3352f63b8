using System.Collections.Concurrent;
using Nimbus.Core.Alarms;
using Nimbus.Core.Deployments;
using Nimbus.Server.Deployments.Shadow;

namespace Nimbus.Server.Deployments;

/// <summary>
/// The watched alarms of each deployment as the loop last read them, for the API (<c>nimbus deploy</c> prints them). In
/// memory: they are recomputed every tick from the metric and alarm stores, so after a restart the first tick refills
/// them. An ended deployment keeps its last reading for <see cref="Retention"/>, so a watcher sees the alarm that ended it.
/// </summary>
public sealed class DeploymentAlarmStates(TimeProvider time, ShadowReports? shadows = null)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (IReadOnlyList<DeploymentAlarmInfo> Alarms, DateTimeOffset At)> _byDeployment = new(StringComparer.Ordinal);

    public void Set(string deploymentId, IReadOnlyList<WatchedAlarm> alarms)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        var now = time.GetUtcNow();
        _byDeployment[deploymentId] = (alarms.Select(a => new DeploymentAlarmInfo(a.Name, AlarmStateNames.ToName(a.State), a.Detail)).ToList(), now);
        foreach (var (id, entry) in _byDeployment)
        {
            if (now - entry.At > Retention)
            {
                _byDeployment.TryRemove(id, out _);
            }
        }
    }

    public IReadOnlyList<DeploymentAlarmInfo> Get(string deploymentId) =>
        _byDeployment.TryGetValue(deploymentId, out var entry) ? entry.Alarms : [];

    /// <summary>The API's view of a deployment, with its watched alarms and, for a shadow deployment, its report.</summary>
    public DeploymentInfo Describe(Deployment deployment) =>
        DeploymentInfo.From(deployment) with { Alarms = Get(deployment.Id), Shadow = shadows?.Report(deployment) };
}
