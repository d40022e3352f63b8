using Nimbus.Core.Alarms;
using Nimbus.Core.Deployments;
using Nimbus.Server.Slos;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary>
/// "Is any alarm of function F (version V) in ALARM, and how are F's error budgets?" — for deployments (issue 11).
/// Stored alarms are reported with their persisted state: those of the whole function, and with a version those
/// narrowed to it. <see cref="EvaluateOnVersionAsync"/> judges a function-wide alarm on one version's metrics alone,
/// without storing anything, for a canary that has its own traffic.
/// </summary>
public sealed class FunctionHealthQuery(SqliteAlarmStore alarms, AlarmDatapointReader datapoints, SloStatusService slos)
{
    public async Task<FunctionHealth> GetAsync(string function, string? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await alarms.ListAsync(function, cancellationToken).ConfigureAwait(false);
        var watched = stored
            .Where(a => a.Definition.Dimensions.Alias is null && (a.Definition.Dimensions.Version is null || a.Definition.Dimensions.Version == version))
            .Select(a => new WatchedAlarm(a.Definition.Name, a.State == AlarmState.Alarm, a.Reason))
            .ToList();
        var objectives = await slos.ListAsync(function, now, cancellationToken).ConfigureAwait(false);
        var tightest = objectives.MinBy(s => s.BudgetRemaining);
        var budget = tightest is null
            ? BudgetObservation.Unknown
            : new BudgetObservation(Math.Clamp(tightest.BudgetRemaining, 0, 1), objectives.Max(s => s.CurrentBurnRate));
        return new FunctionHealth(function, version, watched, objectives, budget);
    }

    /// <summary>The named alarm's verdict on <paramref name="version"/>'s datapoints only; null when there is no such alarm.</summary>
    public async Task<WatchedAlarm?> EvaluateOnVersionAsync(string alarm, string version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await alarms.GetAsync(alarm, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var definition = record.Definition with { Dimensions = record.Definition.Dimensions with { Version = version, Alias = null } };
        var points = await datapoints.ReadAsync(definition, now, cancellationToken).ConfigureAwait(false);
        var evaluation = AlarmEvaluator.Evaluate(definition, AlarmState.InsufficientData, points, now);
        return new WatchedAlarm(alarm, evaluation.State == AlarmState.Alarm, evaluation.Reason);
    }
}
