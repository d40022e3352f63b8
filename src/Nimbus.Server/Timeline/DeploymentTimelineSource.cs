using System.Globalization;
using Nimbus.Core.Deployments;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>
/// Deployments: when each started, every step it took (each share, hook phase and bake, from the recorded steps), a
/// promotion, and how it ended (succeeded, stopped, failed, rolled back and why).
/// </summary>
public sealed class DeploymentTimelineSource(IDeploymentStore deployments) : ITimelineSource
{
    public const string Name = "deployments";

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var events = new List<TimelineEvent>();
        foreach (var d in await deployments.ListDeploymentsAsync(function, limit, cancellationToken).ConfigureAwait(false))
        {
            var move = Move(d.Alias, d.FromVersion, d.ToVersion);
            events.Add(new(d.CreatedAt, d.FunctionName, TimelineKinds.DeploymentStarted, $"deployment {d.Id} started: {move} ({d.Strategy.DisplayName})", null, Name));
            if (d.Status != DeploymentStatus.InProgress)
            {
                var kind = d.Status == DeploymentStatus.RolledBack ? TimelineKinds.DeploymentRolledBack : TimelineKinds.DeploymentEnded;
                var why = string.IsNullOrEmpty(d.Reason) ? "" : $": {d.Reason}";
                events.Add(new(d.UpdatedAt, d.FunctionName, kind, $"deployment {d.Id} {d.Status} ({move}){why}", null, Name));
            }
        }

        foreach (var step in await deployments.ListDeploymentStepsAsync(function, since, limit, cancellationToken).ConfigureAwait(false))
        {
            // The end is the deployment's own event above; a promotion is shown even when it ended the deployment.
            var promoted = step.Command == DeploymentCommand.Promote;
            if (!promoted && DeploymentTransitions.IsTerminal(step.State))
            {
                continue;
            }

            var why = string.IsNullOrEmpty(step.Reason) ? "" : $": {step.Reason}";
            events.Add(new(step.At, step.FunctionName, promoted ? TimelineKinds.DeploymentPromoted : TimelineKinds.DeploymentStep,
                $"deployment {step.DeploymentId} {step.Alias} {step.State}{why}", null, Name));
        }

        return events.Where(e => e.Timestamp >= since).ToList();
    }

    private static string Move(string alias, int from, int to) =>
        $"{alias} {from.ToString(CultureInfo.InvariantCulture)} -> {to.ToString(CultureInfo.InvariantCulture)}";
}
