using System.Globalization;
using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Manifest;

/// <summary>What a deploy changes in a function's <c>alarms</c>, <c>defaultAlarms</c>, <c>slos</c> and <c>defaultSlo</c>, one line per
/// alarm or objective (<c>alarms.checkout-errors: Sum(errors) &gt;= 1 for 2 of 3 x 10s</c>), for <c>nimbus plan</c>.</summary>
internal static class MonitoringDiff
{
    public static IEnumerable<FieldChange> Changes(FunctionConfig? from, FunctionConfig to)
    {
        var changes = new List<FieldChange>();
        Compare(changes, "alarms",
            (from?.Alarms ?? []).Where(a => a?.Name is not null).ToDictionary(a => a.Name!, Text, StringComparer.Ordinal),
            (to.Alarms ?? []).Where(a => a?.Name is not null).ToDictionary(a => a.Name!, Text, StringComparer.Ordinal));
        Compare(changes, "defaultAlarms",
            (from?.DefaultAlarms ?? new Dictionary<string, DefaultAlarmConfig>()).ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal),
            (to.DefaultAlarms ?? new Dictionary<string, DefaultAlarmConfig>()).ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal));
        Compare(changes, "slos",
            (from?.Slos ?? []).Where(s => s?.Name is not null).ToDictionary(s => s.Name!, Text, StringComparer.Ordinal),
            (to.Slos ?? []).Where(s => s?.Name is not null).ToDictionary(s => s.Name!, Text, StringComparer.Ordinal));
        var oldDefault = from is null ? null : DefaultSloText(from.DefaultSlo);
        var newDefault = DefaultSloText(to.DefaultSlo);
        if (oldDefault != newDefault)
        {
            changes.Add(new FieldChange(DefaultSlo.Field, oldDefault, newDefault));
        }

        return changes;
    }

    /// <summary>Null when the default objective is left as it is, so a manifest without the key plans no change.</summary>
    private static string? DefaultSloText(DefaultSloConfig? change)
    {
        if (change is null)
        {
            return null;
        }

        if (change.Enabled == false)
        {
            return "off";
        }

        var parts = new List<string>();
        Add(parts, "objective", change.Objective is { } objective ? Number(objective) + "%" : null);
        Add(parts, "window", change.Window);
        Add(parts, "notify", change.Notify is { Count: > 0 } n ? string.Join(" ", n) : null);
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static void Compare(List<FieldChange> changes, string field, Dictionary<string, string> old, Dictionary<string, string> @new)
    {
        foreach (var name in old.Keys.Union(@new.Keys).Order(StringComparer.Ordinal))
        {
            var before = old.GetValueOrDefault(name);
            var after = @new.GetValueOrDefault(name);
            if (before != after)
            {
                changes.Add(new FieldChange($"{field}.{name}", before, after));
            }
        }
    }

    private static string Text(AlarmConfig alarm)
    {
        var n = alarm.EvaluationPeriods ?? 1;
        var text = $"{alarm.Statistic ?? "Sum"}({alarm.Metric}) {alarm.Comparison} {Number(alarm.Threshold)} for {alarm.DatapointsToAlarm ?? n} of {n} x {alarm.Period ?? "1m"}";
        if (alarm.TreatMissingData is { } treat)
        {
            text += $", missing data {treat}";
        }

        if (alarm.Notify is { Count: > 0 } notify)
        {
            text += $", notify {string.Join(" ", notify)}";
        }

        return alarm.Runbook is null ? text : text + ", runbook";
    }

    private static string Text(DefaultAlarmConfig change)
    {
        if (change.Enabled == false)
        {
            return "off";
        }

        var parts = new List<string>();
        Add(parts, "threshold", change.Threshold is { } t ? Number(t) : null);
        Add(parts, "period", change.Period);
        Add(parts, "evaluationPeriods", change.EvaluationPeriods?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "datapointsToAlarm", change.DatapointsToAlarm?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "treatMissingData", change.TreatMissingData);
        Add(parts, "notify", change.Notify is { Count: > 0 } n ? string.Join(" ", n) : null);
        Add(parts, "runbook", change.Runbook is null ? null : "set");
        return parts.Count == 0 ? "default" : string.Join(", ", parts);
    }

    private static string Text(SloConfig slo) =>
        $"{Number(slo.Objective)}% {(slo.Latency is { } latency ? $"under {latency}" : "available")} over {slo.Window ?? "30d"}"
        + (slo.Alias is { } alias ? $" on {alias}" : "")
        + (slo.Notify is { Count: > 0 } notify ? $", notify {string.Join(" ", notify)}" : "");

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{name} {value}");
        }
    }

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?";
}
