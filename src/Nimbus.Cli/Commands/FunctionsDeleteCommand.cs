using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class FunctionsDeleteCommand
{
    public static readonly CommandSpec Spec = new(
        "functions delete",
        "Delete a function with its versions, aliases and code",
        [new ArgumentSpec("NAME", "Function name")],
        [CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        using var api = context.CreateClient(command);
        await api.DeleteFunctionAsync(name, cancellationToken);
        context.Error.WriteLine($"deleted function {name}");
        return ExitCodes.Success;
    }
}
