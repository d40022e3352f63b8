using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class DlqPurgeCommand
{
    public static readonly CommandSpec Spec = new(
        "dlq purge",
        "Delete all of a function's dead letters",
        [new ArgumentSpec("NAME", "Function name")],
        [CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        using var api = context.CreateClient(command);
        var result = await api.PurgeDeadLettersAsync(name, cancellationToken);
        context.Error.WriteLine($"purged {result.Count} dead letter{(result.Count == 1 ? "" : "s")} of {name}");
        return ExitCodes.Success;
    }
}
