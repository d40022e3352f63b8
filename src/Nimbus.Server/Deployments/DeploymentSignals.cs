using System.Globalization;
using Nimbus.Core.Alarms;
using Nimbus.Core.Deployments;
using Nimbus.Core.Metrics;
using Nimbus.Core.Slos;
using Nimbus.Server.Alarms;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// What the loop watches, read from the alarm and metric stores on every tick:
/// the function's default alarms evaluated on the new version's series alone (not stored: a verdict for this tick),
/// plus the named alarms in their stored state; the new version against the old over the deployment so far
/// (<see cref="CanaryComparer"/>); and the function's error budget (<see cref="BudgetObservations"/>).
/// </summary>
public sealed class DeploymentSignals(
    INimbusStore store, SqliteAlarmStore alarms, AlarmDatapointReader datapoints, SqliteObservabilityStore metrics, ISloCatalog slos,
    IFreezeWindowStore? freezes = null)
    : IDeploymentSignals
{
    /// <summary>The name in a deployment's <c>alarms</c> that stands for the function's default alarms (always watched).</summary>
    public const string DefaultAlarmsName = "default";

    /// <summary>The comparison looks back at most this far (metrics older than a long deployment's start are stale).</summary>
    public static readonly TimeSpan ComparisonWindow = TimeSpan.FromHours(1);

    public async Task<DeploymentObservation> ObserveAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var budget = await ReadBudgetAsync(deployment.FunctionName, now, cancellationToken).ConfigureAwait(false);
        if (deployment.State is DeploymentState.Pending or DeploymentState.PreTraffic)
        {
            // No traffic on the new version yet: only the budget gate and (before it starts) a freeze window can decide.
            var windows = deployment.State == DeploymentState.Pending && freezes is not null
                ? (await freezes.ListFreezeWindowsAsync(now, cancellationToken).ConfigureAwait(false)).Where(w => w.AppliesTo(deployment.FunctionName)).ToList()
                : [];
            return DeploymentObservation.None with { Budget = budget, FreezeWindows = windows };
        }

        var watched = await ReadAlarmsAsync(deployment, now, cancellationToken).ConfigureAwait(false);
        var verdict = await CompareAsync(deployment, now, cancellationToken).ConfigureAwait(false);
        return new DeploymentObservation(watched, verdict, budget, []);
    }

    private async Task<IReadOnlyList<WatchedAlarm>> ReadAlarmsAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = new List<WatchedAlarm>();
        var version = deployment.ToVersion.ToString(CultureInfo.InvariantCulture);
        if (await store.GetFunctionAsync(deployment.FunctionName, cancellationToken).ConfigureAwait(false) is { } function)
        {
            foreach (var alarm in DefaultsOf(function.Config))
            {
                var onVersion = alarm with { Dimensions = alarm.Dimensions with { Version = version, Alias = null } };
                var points = await datapoints.ReadAsync(onVersion, now, cancellationToken).ConfigureAwait(false);
                var evaluation = AlarmEvaluator.Evaluate(onVersion, AlarmState.InsufficientData, points, now);
                result.Add(new WatchedAlarm(alarm.Name, evaluation.State == AlarmState.Alarm, evaluation.Reason) { State = evaluation.State });
            }
        }

        foreach (var name in deployment.Alarms.Where(n => n != DefaultAlarmsName).Distinct(StringComparer.Ordinal))
        {
            if (await alarms.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                result.Add(new WatchedAlarm(name, stored.State == AlarmState.Alarm, stored.Reason) { State = stored.State });
            }
        }

        return result;
    }

    /// <summary>The function's default alarms as its <c>defaultAlarms</c> tunes them (periods, thresholds, switched off,
    /// notification targets): the same definitions the alarm store holds, before they are narrowed to the new version.</summary>
    public static IReadOnlyList<AlarmDefinition> DefaultsOf(Core.Functions.FunctionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var names = DefaultAlarmKeys.All.Select(k => DefaultAlarmKeys.AlarmName(config.Name, k)).ToHashSet(StringComparer.Ordinal);
        return AlarmConfigs.AllFor(config).Where(a => names.Contains(a.Name)).ToList();
    }

    private async Task<CanaryVerdict> CompareAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = deployment.CreatedAt > now - ComparisonWindow ? deployment.CreatedAt : now - ComparisonWindow;
        var candidate = await ReadWindowAsync(deployment.FunctionName, deployment.ToVersion, since, now, cancellationToken).ConfigureAwait(false);
        var baseline = await ReadWindowAsync(deployment.FunctionName, deployment.FromVersion, since, now, cancellationToken).ConfigureAwait(false);
        return CanaryComparer.Compare(candidate, baseline, CanaryComparisonOptions.Default);
    }

    private async Task<VersionWindow> ReadWindowAsync(string function, int version, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var text = version.ToString(CultureInfo.InvariantCulture);
        return VersionWindows.From(
            await ReadAsync(function, text, MetricNames.Invocations, MetricPeriods.TenSeconds, since, until, cancellationToken).ConfigureAwait(false),
            await ReadAsync(function, text, MetricNames.Errors, MetricPeriods.TenSeconds, since, until, cancellationToken).ConfigureAwait(false),
            await ReadAsync(function, text, MetricNames.Duration, MetricPeriods.TenSeconds, since, until, cancellationToken).ConfigureAwait(false));
    }

    private async Task<BudgetObservation> ReadBudgetAsync(string function, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var objectives = await slos.ListAsync(function, cancellationToken).ConfigureAwait(false);
        if (objectives.Count == 0)
        {
            return BudgetObservation.Unknown;
        }

        var counted = new List<(SloDefinition, SloCounts, SloCounts)>();
        foreach (var slo in objectives)
        {
            var window = await CountAsync(slo, MetricPeriods.OneHour, now - slo.Window, now, cancellationToken).ConfigureAwait(false);
            var recent = await CountAsync(slo, MetricPeriods.OneMinute, now - BudgetObservations.BurnWindow, now, cancellationToken).ConfigureAwait(false);
            counted.Add((slo, window, recent));
        }

        return BudgetObservations.From(counted);
    }

    private async Task<SloCounts> CountAsync(SloDefinition slo, int period, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        SloWindowCounts.From(
            slo,
            await ReadAsync(slo.Function, MetricSeriesKey.Any, MetricNames.Invocations, period, since, until, cancellationToken, slo.Alias).ConfigureAwait(false),
            await ReadAsync(slo.Function, MetricSeriesKey.Any, MetricNames.Errors, period, since, until, cancellationToken, slo.Alias).ConfigureAwait(false),
            slo.Kind == SloKind.Latency
                ? await ReadAsync(slo.Function, MetricSeriesKey.Any, MetricNames.Duration, period, since, until, cancellationToken, slo.Alias).ConfigureAwait(false)
                : []);

    private async Task<IReadOnlyList<MetricStatistics>> ReadAsync(
        string function, string version, string metric, int period, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken,
        string? alias = null)
    {
        var key = new MetricSeriesKey(function, version, alias ?? MetricSeriesKey.Any, metric, "");
        var buckets = await metrics.ReadBucketsAsync(key, period, since, until, cancellationToken).ConfigureAwait(false);
        return buckets.Select(b => b.Statistics).ToList();
    }
}
