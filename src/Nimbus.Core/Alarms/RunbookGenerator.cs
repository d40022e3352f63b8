using System.Globalization;
using System.Text;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Alarms;

/// <summary>
/// The runbook every alarm links unless it names its own (<c>runbook:</c>): what the alarm means, the function's limits
/// and settings that matter for it, the recent changes, and the exact commands to look (logs, errors, metrics, traces,
/// dead letters) and to act (roll back, pause a source, raise reserved concurrency, redrive), as markdown. Pure.
/// </summary>
public static class RunbookGenerator
{
    public static string Generate(AlarmRecord alarm, FunctionConfig? function, IReadOnlyList<NotificationChange> recentChanges)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(recentChanges);
        var a = alarm.Definition;
        var name = a.Dimensions.Function;
        var text = new StringBuilder();
        text.Append("# Runbook: ").Append(a.Name).Append("\n\n");
        text.Append("## What it means\n");
        text.Append(a.Description ?? $"{a.Statistic.Name} of {a.Metric} crossed its threshold.").Append("\n\n");
        text.Append("Condition: ").Append(a.Statistic.Name).Append('(').Append(a.Metric).Append(") ").Append(a.Comparison).Append(' ')
            .Append(AlarmReasonText.Number(a.Threshold)).Append(" for ").Append(Int(a.DatapointsToAlarm)).Append(" of ").Append(Int(a.EvaluationPeriods))
            .Append(" periods of ").Append(MonitoringDuration.Format(a.Period)).Append("; missing data is ").Append(TreatMissingDataNames.ToName(a.TreatMissingData)).Append(".\n\n");
        text.Append("Now: ").Append(AlarmStateNames.ToName(alarm.State)).Append(" — ").Append(alarm.Reason).Append("\n\n");

        text.Append("## Settings that matter\n");
        if (function is null)
        {
            text.Append("- the function no longer exists\n");
        }
        else
        {
            text.Append("- timeout ").Append(function.TimeoutSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(" s, memory ")
                .Append(Int(function.MemoryMb)).Append(" MB, runtime ").Append(function.Runtime).Append('\n');
            text.Append("- reserved concurrency ").Append(function.ReservedConcurrency is { } reserved ? Int(reserved) : "none (shares the server's pool)").Append('\n');
            var async = function.Async ?? AsyncConfig.Default;
            text.Append("- async: ").Append(Int(async.RetryAttempts)).Append(" retries, events kept ")
                .Append(MonitoringDuration.Format(async.MaximumEventAge)).Append(", queue depth at most ").Append(Int(async.QueueDepth)).Append('\n');
        }

        text.Append("\n## Recent changes\n");
        if (recentChanges.Count == 0)
        {
            text.Append("- none in the last hour\n");
        }

        foreach (var change in recentChanges)
        {
            text.Append("- ").Append(change.Timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC ").Append(change.Summary).Append('\n');
        }

        text.Append("\n## Look\n");
        var errorFilter = a.Metric.Dimension is { } d && d.StartsWith("outcome=", StringComparison.Ordinal) ? $" --filter {d["outcome=".Length..]}" : " --level ERROR";
        text.Append("- `nimbus logs ").Append(name).Append(" --since 1h").Append(errorFilter).Append("`\n");
        text.Append("- `nimbus errors ").Append(name).Append("`\n");
        text.Append("- `nimbus metrics ").Append(name).Append(" --since 3h`\n");
        text.Append("- `nimbus timeline ").Append(name).Append(" --since 6h`\n");
        text.Append("- `nimbus dlq list ").Append(name).Append("` (dead letters and async depth)\n");
        text.Append("- `nimbus alarms history ").Append(a.Name).Append("`\n");
        text.Append("\n## Act\n");
        text.Append("- roll back the alias to the version before: `nimbus rollback ").Append(name).Append("`\n");
        text.Append("- pause a schedule or event source: set `enabled: false` on it in nimbus.yaml and `nimbus deploy`\n");
        text.Append("- raise reserved concurrency: `reservedConcurrency:` in nimbus.yaml and `nimbus deploy`\n");
        text.Append("- redrive dead letters once fixed: `nimbus dlq redrive ").Append(name).Append("`\n");
        text.Append("- silence while you work: `nimbus alarms mute ").Append(a.Name).Append(" --for 1h`\n");
        return text.ToString();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
