using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

/// <summary><c>nimbus sources pause|resume FUNCTION [--queue NAME]</c>: one verb each, the same request.</summary>
internal static class SourcesPauseCommands
{
    public static readonly CommandSpec Pause = Spec("pause", "paused", "Stop a function taking messages from its queues (they wait there)");

    public static readonly CommandSpec Resume = Spec("resume", "resumed", "Let a paused function take messages again, from where it stopped");

    private static CommandSpec Spec(string action, string done, string summary) => new(
        $"sources {action}",
        summary,
        [new ArgumentSpec("FUNCTION", "Function name")],
        [new OptionSpec("queue", "q", "NAME", "Only the source for this queue (default: all of the function's)"), CommonOptions.Url],
        async (command, context, cancellationToken) =>
        {
            var function = command.Argument("FUNCTION");
            var queue = command.Option("queue");
            using var api = context.CreateClient(command);
            var result = await api.SetSourcesPausedAsync(function, queue, action, cancellationToken);
            context.Error.WriteLine($"{done} {result.Changed} source{(result.Changed == 1 ? "" : "s")} of {function}{(queue is null ? "" : $" (queue {queue})")}");
            return ExitCodes.Success;
        });
}
