namespace Nimbus.Core.Alarms;

/// <summary>
/// One alarm a function declares (<c>alarms:</c> in the manifest, <c>alarms</c> in the API), in the words the user
/// wrote: <c>period: 10s</c>, <c>statistic: p99</c>, <c>metric: 100 * errors / invocations</c>. Fields may be null
/// (JSON allows it); <see cref="AlarmConfigs.ToDefinition"/> reports what is missing or wrong.
/// </summary>
public sealed record AlarmConfig
{
    public string? Name { get; init; }

    /// <summary><c>errors</c>, <c>invocations{outcome=InitError}</c> or a rate <c>100 * errors / invocations</c>.</summary>
    public string? Metric { get; init; }

    /// <summary>Sum (the default), Average, Minimum, Maximum, SampleCount or pNN.</summary>
    public string? Statistic { get; init; }

    /// <summary>10s, 20s, 30s or whole minutes; default 1m.</summary>
    public string? Period { get; init; }

    public int? EvaluationPeriods { get; init; }
    public int? DatapointsToAlarm { get; init; }
    public string? Comparison { get; init; }
    public double? Threshold { get; init; }
    public string? TreatMissingData { get; init; }

    /// <summary>Narrows the alarm to one version or one alias of the function.</summary>
    public string? Version { get; init; }

    public string? Alias { get; init; }

    /// <summary>Where transitions are sent: <c>webhook:URL</c>, <c>slack:URL</c>, <c>function:NAME</c>.</summary>
    public IReadOnlyList<string>? Notify { get; init; }

    /// <summary>The states whose arrival is notified; default ALARM and OK (see <see cref="NotificationPolicy"/>).</summary>
    public IReadOnlyList<string>? NotifyOn { get; init; }

    /// <summary>A URL, or the runbook itself as markdown text; null: the generated runbook.</summary>
    public string? Runbook { get; init; }

    public string? Description { get; init; }
}
