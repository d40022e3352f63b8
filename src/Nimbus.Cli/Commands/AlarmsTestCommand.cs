using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AlarmsTestCommand
{
    public static readonly CommandSpec Spec = new(
        "alarms test",
        "Send a test notification to every target of an alarm (marked as a test; sent even when muted)",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var result = await api.TestAlarmAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, result);
            return ExitCodes.Success;
        }

        foreach (var delivery in result.Deliveries)
        {
            context.Out.WriteLine($"{result.Alarm}: test notification {Formats.Integer(delivery.Id)} queued for {delivery.Target}");
        }

        context.Out.WriteLine($"Follow the deliveries with `nimbus alarms notifications {result.Alarm}`.");
        return ExitCodes.Success;
    }
}
