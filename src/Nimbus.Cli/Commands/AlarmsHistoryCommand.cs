using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsHistoryCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms history",
        "List an alarm's state changes, newest first, with the datapoints behind each",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var history = await api.GetAlarmHistoryAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, history);
            return ExitCodes.Success;
        }

        if (history.Count == 0)
        {
            context.Out.WriteLine("No state changes yet.");
            return ExitCodes.Success;
        }

        var table = new Table("TIME", "FROM", "TO", "REASON");
        foreach (var entry in history)
        {
            table.AddRow(Formats.ShortTime(entry.Timestamp), entry.OldState, entry.NewState, entry.Reason);
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
