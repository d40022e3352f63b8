using System.Globalization;
using Nimbus.Core.Deployments;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>Deployments: when each started and, once it ended, how (succeeded, stopped, failed, rolled back and why).</summary>
public sealed class DeploymentTimelineSource(IDeploymentStore deployments) : ITimelineSource
{
    public const string Name = "deployments";

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var events = new List<TimelineEvent>();
        foreach (var d in await deployments.ListDeploymentsAsync(function, limit, cancellationToken).ConfigureAwait(false))
        {
            var move = $"{d.Alias} {d.FromVersion.ToString(CultureInfo.InvariantCulture)} -> {d.ToVersion.ToString(CultureInfo.InvariantCulture)}";
            events.Add(new(d.CreatedAt, d.FunctionName, TimelineKinds.DeploymentStarted, $"deployment {d.Id} started: {move}", null, Name));
            if (d.Status != DeploymentStatus.InProgress)
            {
                var kind = d.Status == DeploymentStatus.RolledBack ? TimelineKinds.DeploymentRolledBack : TimelineKinds.DeploymentEnded;
                var why = string.IsNullOrEmpty(d.Reason) ? "" : $": {d.Reason}";
                events.Add(new(d.UpdatedAt, d.FunctionName, kind, $"deployment {d.Id} {d.Status} ({move}){why}", null, Name));
            }
        }

        return events.Where(e => e.Timestamp >= since).ToList();
    }
}
