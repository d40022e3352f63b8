using System.Globalization;
using Nimbus.Core.Alarms;

namespace Nimbus.Core.Slos;

/// <summary>
/// Each SLO's burn-rate rules as alarms, so they notify, mute, link runbooks and show in the timeline like any other:
/// <c>{function}-{slo}-page-1h</c>, <c>-page-6h</c>, <c>-ticket-3d</c>. Their metric is <c>slo:{name}{rule=…}</c>; the
/// evaluation loop judges them with <see cref="BurnRateEvaluator"/> (ALARM while the rule fires) instead of reading
/// datapoints. Pure.
/// </summary>
public static class SloAlarms
{
    public const string MetricPrefix = "slo:";

    public static IReadOnlyList<AlarmDefinition> For(SloDefinition slo, IReadOnlyList<string> notify) =>
        BurnRateAlerts.Default.Select(rule => new AlarmDefinition(
                $"{slo.Function}-{slo.Name}-{rule.Name}",
                new AlarmDimensions(slo.Function, null, slo.Alias),
                new AlarmMetric(MetricPrefix + slo.Name, "rule=" + rule.Name),
                AlarmStatistic.Sum,
                TimeSpan.FromMinutes(1),
                1,
                1,
                ComparisonOperator.GreaterThanOrEqualToThreshold,
                rule.Threshold,
                TreatMissingData.NotBreaching)
            {
                Description = $"{slo.Function}'s '{slo.Name}' objective ({slo.ObjectivePercent.ToString("0.###", CultureInfo.InvariantCulture)}% over "
                    + $"{MonitoringDuration.Format(slo.Window)}) is burning its error budget at {rule.Threshold.ToString("0.#", CultureInfo.InvariantCulture)}× or faster over both "
                    + $"{MonitoringDuration.Format(rule.LongWindow)} and {MonitoringDuration.Format(rule.ShortWindow)} ({(rule.Severity == SloAlertSeverity.Page ? "page" : "ticket")}).",
                Notify = notify,
            })
            .ToList();

    /// <summary>The objective and rule of an SLO alarm's metric, or null for any other alarm.</summary>
    public static (string Slo, string Rule)? Parse(AlarmMetric metric) =>
        metric.Name.StartsWith(MetricPrefix, StringComparison.Ordinal) && metric.Dimension is { } d && d.StartsWith("rule=", StringComparison.Ordinal)
            ? (metric.Name[MetricPrefix.Length..], d["rule=".Length..])
            : null;

    /// <summary>The state a rule's verdict puts its alarm in, with a reason naming both burn rates.</summary>
    public static (AlarmState State, string Reason) Judge(double threshold, string rule, double longBurn, double shortBurn, bool firing)
    {
        var figures = $"burn rate {Number(longBurn)} over the long window and {Number(shortBurn)} over the short one";
        return firing
            ? (AlarmState.Alarm, $"Burn rate crossed: {figures} both reached {Number(threshold)} ({rule}).")
            : (AlarmState.Ok, $"Burn rate below threshold: {figures}; {rule} needs both at {Number(threshold)} or more.");
    }

    private static string Number(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);
}
