using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SourcesResumeCommand
{
    public static readonly CommandSpec Spec = new(
        "sources resume",
        "Let a paused function take messages again, from where it stopped",
        [new ArgumentSpec("FUNCTION", "Function name")],
        [new OptionSpec("queue", "q", "NAME", "Only the source for this queue (default: all of the function's)"), CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var function = command.Argument("FUNCTION");
        var queue = command.Option("queue");
        using var api = context.CreateClient(command);
        var result = await api.SetSourcesPausedAsync(function, queue, "resume", cancellationToken);
        context.Error.WriteLine($"resumed {result.Changed} source{(result.Changed == 1 ? "" : "s")} of {function}{(queue is null ? "" : $" (queue {queue})")}");
        return ExitCodes.Success;
    }
}
