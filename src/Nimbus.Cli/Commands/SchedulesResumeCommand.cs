using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SchedulesResumeCommand
{
    public static readonly CommandSpec Spec = new(
        "schedules resume",
        "Let a function's paused schedules fire again, from now",
        [new ArgumentSpec("FUNCTION", "Function name")],
        [CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var function = command.Argument("FUNCTION");
        using var api = context.CreateClient(command);
        var result = await api.SetSchedulesPausedAsync(function, "resume", cancellationToken);
        context.Error.WriteLine($"resumed {result.Changed} schedule{(result.Changed == 1 ? "" : "s")} of {function}");
        return ExitCodes.Success;
    }
}
