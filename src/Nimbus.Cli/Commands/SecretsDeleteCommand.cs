using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SecretsDeleteCommand
{
    public static readonly CommandSpec Spec = new(
        "secrets delete",
        "Delete a secret",
        [new ArgumentSpec("NAME", "Secret name")],
        [CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        using var api = context.CreateClient(command);
        await api.DeleteSecretAsync(name, cancellationToken);
        context.Error.WriteLine($"deleted secret {name}");
        return ExitCodes.Success;
    }
}
