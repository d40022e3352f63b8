using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsMuteCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms mute",
        "Hold back an alarm's notifications for a while (it keeps evaluating and recording its history)",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [new OptionSpec("for", null, "DURATION", "How long: 30m, 2h, 1d (at most 30d); required"), CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var duration = command.Option("for") ?? throw new CliException("alarms mute needs --for DURATION (e.g. --for 2h)", ExitCodes.Usage);
        var output = command.Output;
        using var api = context.CreateClient(command);
        var alarm = await api.MuteAlarmAsync(command.Argument("ALARM"), duration, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, alarm);
            return ExitCodes.Success;
        }

        context.Out.WriteLine($"{alarm.Name}: muted until {Formats.Time(alarm.MutedUntil!.Value)}");
        return ExitCodes.Success;
    }
}
