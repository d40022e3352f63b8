using Nimbus.Core.Alarms;

namespace Nimbus.Core.Api;

/// <summary>An alarm as <c>GET /api/v1/alarms</c> shows it; <see cref="State"/> is <c>OK</c>, <c>ALARM</c> or
/// <c>INSUFFICIENT_DATA</c>, <see cref="Metric"/> reads like CloudWatch metric math (<c>100.0 * errors / invocations</c>).</summary>
public sealed record AlarmInfo(
    string Name,
    string Function,
    string? Version,
    string? Alias,
    string Metric,
    string Statistic,
    int PeriodSeconds,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    string Comparison,
    double Threshold,
    string TreatMissingData,
    string State,
    string StateReason,
    DateTimeOffset StateUpdatedAt,
    string? Description,
    bool IsDefault,
    IReadOnlyList<string>? Notify = null,
    IReadOnlyList<string>? NotifyOn = null,
    string? Runbook = null,
    DateTimeOffset? MutedUntil = null)
{
    public static AlarmInfo From(AlarmRecord record)
    {
        var alarm = record.Definition;
        return new AlarmInfo(
            alarm.Name,
            alarm.Dimensions.Function,
            alarm.Dimensions.Version,
            alarm.Dimensions.Alias,
            alarm.Metric.ToString(),
            alarm.Statistic.Name,
            (int)alarm.Period.TotalSeconds,
            alarm.EvaluationPeriods,
            alarm.DatapointsToAlarm,
            alarm.Comparison.ToString(),
            alarm.Threshold,
            TreatMissingDataNames.ToName(alarm.TreatMissingData),
            AlarmStateNames.ToName(record.State),
            record.Reason,
            record.StateUpdatedAt,
            alarm.Description,
            record.IsDefault,
            alarm.Notify,
            alarm.NotifyOn.Select(AlarmStateNames.ToName).ToList(),
            alarm.Runbook,
            record.MutedUntil);
    }
}
