using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SchedulesPauseCommand
{
    public static readonly CommandSpec Spec = new(
        "schedules pause",
        "Stop a function's schedules firing (ticks while paused are not caught up)",
        [new ArgumentSpec("FUNCTION", "Function name")],
        [CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var function = command.Argument("FUNCTION");
        using var api = context.CreateClient(command);
        var result = await api.SetSchedulesPausedAsync(function, "pause", cancellationToken);
        context.Error.WriteLine($"paused {result.Changed} schedule{(result.Changed == 1 ? "" : "s")} of {function}");
        return ExitCodes.Success;
    }
}
