using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

/// <summary><c>nimbus schedules pause|resume FUNCTION</c>: one verb each, the same request.</summary>
internal static class SchedulesPauseCommands
{
    public static readonly CommandSpec Pause = Spec("pause", "paused", "Stop a function's schedules firing (ticks while paused are not caught up)");

    public static readonly CommandSpec Resume = Spec("resume", "resumed", "Let a function's paused schedules fire again, from now");

    private static CommandSpec Spec(string action, string done, string summary) => new(
        $"schedules {action}",
        summary,
        [new ArgumentSpec("FUNCTION", "Function name")],
        [CommonOptions.Url],
        async (command, context, cancellationToken) =>
        {
            var function = command.Argument("FUNCTION");
            using var api = context.CreateClient(command);
            var result = await api.SetSchedulesPausedAsync(function, action, cancellationToken);
            context.Error.WriteLine($"{done} {result.Changed} schedule{(result.Changed == 1 ? "" : "s")} of {function}");
            return ExitCodes.Success;
        });
}
