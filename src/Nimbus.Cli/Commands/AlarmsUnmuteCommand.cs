using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsUnmuteCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms unmute",
        "Send an alarm's notifications again, at once",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var alarm = await api.UnmuteAlarmAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, alarm);
            return ExitCodes.Success;
        }

        context.Out.WriteLine($"{alarm.Name}: notifications on");
        return ExitCodes.Success;
    }
}
