using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class DlqRedriveCommand
{
    public static readonly CommandSpec Spec = new(
        "dlq redrive",
        "Put dead letters back on the queue with fresh attempts (they keep their request ids)",
        [new ArgumentSpec("NAME", "Function name")],
        [
            new OptionSpec("id", null, "ID", "Redrive this dead letter"),
            new OptionSpec("all", null, null, "Redrive all of the function's dead letters"),
            CommonOptions.Url,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var id = command.Option("id");
        var all = command.Flag("all");
        if ((id is null) == !all)
        {
            throw new UsageException("dlq redrive needs exactly one of --id ID or --all");
        }

        var name = command.Argument("NAME");
        using var api = context.CreateClient(command);
        var result = await api.RedriveAsync(name, id, cancellationToken);
        context.Error.WriteLine($"redrove {result.Count} dead letter{(result.Count == 1 ? "" : "s")} of {name}");
        return ExitCodes.Success;
    }
}
