using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsListCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms list",
        "List alarms and their state (OK, ALARM, INSUFFICIENT_DATA), all or one function's",
        [new ArgumentSpec("NAME", "Function name (default: every function)", Optional: true)],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var alarms = await api.ListAlarmsAsync(command.OptionalArgument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, alarms);
            return ExitCodes.Success;
        }

        if (alarms.Count == 0)
        {
            context.Out.WriteLine("No alarms.");
            return ExitCodes.Success;
        }

        var table = new Table("NAME", "STATE", "FUNCTION", "CONDITION", "SINCE");
        foreach (var alarm in alarms)
        {
            table.AddRow(alarm.Name, alarm.State, alarm.Function, AlarmsGetCommand.Condition(alarm), Formats.ShortTime(alarm.StateUpdatedAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
