using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsNotificationsCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms notifications",
        "List an alarm's notifications, newest first: target, attempts and whether each was delivered",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var deliveries = await api.ListAlarmNotificationsAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, deliveries);
            return ExitCodes.Success;
        }

        if (deliveries.Count == 0)
        {
            context.Out.WriteLine("No notifications yet.");
            return ExitCodes.Success;
        }

        var table = new Table("ID", "TIME", "EVENT", "TARGET", "STATUS", "ATTEMPTS", "LAST ERROR");
        foreach (var d in deliveries)
        {
            table.AddRow(Formats.Integer(d.Id), Formats.ShortTime(d.CreatedAt), d.Event, d.Target, d.Status, Formats.Integer(d.Attempts), d.LastError ?? "-");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
