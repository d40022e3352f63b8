using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class RunbookCommand
{
    public static readonly CommandSpec Spec = new(
        "runbook",
        "Print an alarm's runbook: what it means, the settings that matter, recent changes and the commands to look and act",
        [new ArgumentSpec("ALARM", "Alarm name, as `nimbus alarms list` shows it")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var runbook = await api.GetRunbookAsync(command.Argument("ALARM"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, runbook);
            return ExitCodes.Success;
        }

        context.Out.Write(runbook.Url is { } url ? $"{runbook.Alarm}: runbook at {url}\n" : runbook.Markdown);
        return ExitCodes.Success;
    }
}
