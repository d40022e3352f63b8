using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SourcesPauseCommand
{
    public static readonly CommandSpec Spec = new(
        "sources pause",
        "Stop a function taking messages from its queues (they wait there)",
        [new ArgumentSpec("FUNCTION", "Function name")],
        [new OptionSpec("queue", "q", "NAME", "Only the source for this queue (default: all of the function's)"), CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var function = command.Argument("FUNCTION");
        var queue = command.Option("queue");
        using var api = context.CreateClient(command);
        var result = await api.SetSourcesPausedAsync(function, queue, "pause", cancellationToken);
        context.Error.WriteLine($"paused {result.Changed} source{(result.Changed == 1 ? "" : "s")} of {function}{(queue is null ? "" : $" (queue {queue})")}");
        return ExitCodes.Success;
    }
}
