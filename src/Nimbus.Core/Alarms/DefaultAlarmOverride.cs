namespace Nimbus.Core.Alarms;

/// <summary>A manifest's change to one default alarm (<c>defaultAlarms: {errorRate: {threshold: 2}, throttles: false}</c>):
/// switched off, or some of its settings replaced. Unset fields keep the default.</summary>
public sealed record DefaultAlarmOverride
{
    public static readonly DefaultAlarmOverride Disabled = new() { Enabled = false };

    public bool Enabled { get; init; } = true;
    public double? Threshold { get; init; }
    public TimeSpan? Period { get; init; }
    public int? EvaluationPeriods { get; init; }
    public int? DatapointsToAlarm { get; init; }
    public TreatMissingData? TreatMissingData { get; init; }
    public IReadOnlyList<string>? Notify { get; init; }
    public IReadOnlyList<string>? NotifyOn { get; init; }
    public string? Runbook { get; init; }
}
