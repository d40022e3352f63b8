namespace Nimbus.Core.Alarms;

/// <summary>
/// One alarm as declared (CloudWatch semantics): each <see cref="Period"/> the <see cref="Statistic"/> of the
/// <see cref="Metric"/> for <see cref="Dimensions"/> is one datapoint; the alarm goes to ALARM when at least
/// <see cref="DatapointsToAlarm"/> of the last <see cref="EvaluationPeriods"/> datapoints breach
/// <see cref="Threshold"/> by <see cref="Comparison"/>, to OK when fewer do, and <see cref="TreatMissingData"/> says what
/// a period without data counts as. Immutable; validate with <see cref="AlarmDefinitionValidator"/>.
/// </summary>
public sealed record AlarmDefinition(
    string Name,
    AlarmDimensions Dimensions,
    AlarmMetric Metric,
    AlarmStatistic Statistic,
    TimeSpan Period,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    ComparisonOperator Comparison,
    double Threshold,
    TreatMissingData TreatMissingData = TreatMissingData.Missing)
{
    /// <summary>For a percentile statistic: what to do with periods that have too few samples.</summary>
    public LowSampleCountPercentile LowSampleCountPercentile { get; init; } = LowSampleCountPercentile.Evaluate;

    /// <summary>What the alarm means, in a sentence an operator reads in a notification.</summary>
    public string? Description { get; init; }

    /// <summary>Where transitions are sent (<see cref="NotificationTarget"/> texts); none by default.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>The states whose arrival is notified (<see cref="NotificationPolicy"/>).</summary>
    public IReadOnlyList<AlarmState> NotifyOn { get; init; } = NotificationPolicy.DefaultNotifyOn;

    /// <summary>A URL or markdown text the user wrote; null: the runbook generated from the function's configuration.</summary>
    public string? Runbook { get; init; }

    /// <summary>Equal definitions, comparing <see cref="Notify"/> and <see cref="NotifyOn"/> by their items.</summary>
    public bool SameAs(AlarmDefinition other) =>
        this with { Notify = [], NotifyOn = [] } == other with { Notify = [], NotifyOn = [] }
        && Notify.SequenceEqual(other.Notify) && NotifyOn.SequenceEqual(other.NotifyOn);

    /// <summary>The time the evaluator looks back over: <see cref="Period"/> × <see cref="EvaluationPeriods"/>.</summary>
    public TimeSpan Range => Period * EvaluationPeriods;
}
