using System.Globalization;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Core.Deployments;

/// <summary>A deployment as the API shows it: <see cref="Status"/> is the external view, <see cref="State"/> the step of the machine.</summary>
public sealed record DeploymentInfo(
    string Id,
    string FunctionName,
    string Alias,
    string FromVersion,
    string ToVersion,
    string Strategy,
    DeploymentStatus Status,
    DeploymentState State,
    int Step,
    int Steps,
    double NewVersionPercent,
    string? HookExecutionId,
    string? Reason,
    bool Forced,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The watched alarms' states as the deployment loop last read them (empty before traffic reaches the new
    /// version, and after a restart until the loop's first tick).</summary>
    public IReadOnlyList<DeploymentAlarmInfo> Alarms { get; init; } = [];

    /// <summary>For a shadow deployment, how the mirrored copies on the new version compared with the live calls (counts
    /// since this server started); null for every other strategy.</summary>
    public ShadowReport? Shadow { get; init; }

    public static DeploymentInfo From(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var schedule = WeightSchedule.For(deployment.Strategy);
        var weights = DeploymentController.WeightsFor(deployment);
        var percent = weights.Version == deployment.ToVersion ? 100 : weights.AdditionalVersion == deployment.ToVersion ? weights.AdditionalWeight * 100 : 0;
        return new(
            deployment.Id,
            deployment.FunctionName,
            deployment.Alias,
            deployment.FromVersion.ToString(CultureInfo.InvariantCulture),
            deployment.ToVersion.ToString(CultureInfo.InvariantCulture),
            deployment.Strategy.DisplayName,
            deployment.Status,
            deployment.State,
            deployment.StepIndex + 1,
            schedule.Count,
            Math.Round(percent, 6),
            deployment.HookExecutionId,
            deployment.Reason,
            deployment.Forced,
            deployment.CreatedAt,
            deployment.UpdatedAt);
    }
}
