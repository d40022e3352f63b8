using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class AlarmsGetCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms get",
        "Show an alarm: its condition, state and the reason for it",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    /// <summary>The condition in one line: <c>Sum(throttles) &gt;= 1 for 1 of 1 × 60s</c>.</summary>
    public static string Condition(AlarmInfo alarm) =>
        $"{alarm.Statistic}({alarm.Metric}) {Operator(alarm.Comparison)} {Formats.Number(alarm.Threshold)} for "
        + $"{alarm.DatapointsToAlarm.ToString(CultureInfo.InvariantCulture)} of {alarm.EvaluationPeriods.ToString(CultureInfo.InvariantCulture)} "
        + $"x {alarm.PeriodSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static string Operator(string comparison) => comparison switch
    {
        "GreaterThanOrEqualToThreshold" => ">=",
        "GreaterThanThreshold" => ">",
        "LessThanThreshold" => "<",
        "LessThanOrEqualToThreshold" => "<=",
        _ => comparison,
    };

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var alarm = await api.GetAlarmAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, alarm);
            return ExitCodes.Success;
        }

        new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("name", alarm.Name)
            .AddRow("state", alarm.State)
            .AddRow("since", Formats.ShortTime(alarm.StateUpdatedAt))
            .AddRow("reason", alarm.StateReason)
            .AddRow("function", alarm.Function + (alarm.Version ?? alarm.Alias) switch { null => "", var q => ":" + q })
            .AddRow("condition", Condition(alarm))
            .AddRow("missing data", alarm.TreatMissingData)
            .AddRow("default", alarm.IsDefault ? "yes" : "no")
            .AddRow("description", alarm.Description ?? "-")
            .AddRow("notify", alarm.Notify is { Count: > 0 } notify ? string.Join(", ", notify) + $" (on {string.Join(", ", alarm.NotifyOn ?? [])})" : "-")
            .AddRow("muted", alarm.MutedUntil is { } until && until > DateTimeOffset.UtcNow ? "until " + Formats.Time(until) : "no")
            .AddRow("runbook", alarm.Runbook is { } runbook ? (runbook.Contains('\n', StringComparison.Ordinal) ? $"own text (`nimbus runbook {alarm.Name}`)" : runbook) : $"generated: `nimbus runbook {alarm.Name}`")
            .WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
