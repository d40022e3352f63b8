namespace Nimbus.Core.Alarms;

/// <summary>A function's change to one default alarm as carried by the API (<c>defaultAlarms</c>, keyed by
/// <see cref="DefaultAlarmKeys"/>): <c>enabled: false</c> switches it off; the rest replace its settings.</summary>
public sealed record DefaultAlarmConfig
{
    public bool? Enabled { get; init; }
    public double? Threshold { get; init; }
    public string? Period { get; init; }
    public int? EvaluationPeriods { get; init; }
    public int? DatapointsToAlarm { get; init; }
    public string? TreatMissingData { get; init; }
    public IReadOnlyList<string>? Notify { get; init; }
    public IReadOnlyList<string>? NotifyOn { get; init; }
    public string? Runbook { get; init; }
}
