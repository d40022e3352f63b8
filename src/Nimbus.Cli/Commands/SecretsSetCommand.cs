using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SecretsSetCommand
{
    public static readonly CommandSpec Spec = new(
        "secrets set",
        "Create a secret, or store a new version of it, from standard input or --file",
        [new ArgumentSpec("NAME", "Secret name (letters, digits and /_+=.@-)")],
        [SecretInput.File, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        var value = await SecretInput.ReadAsync(command, context, cancellationToken);
        using var api = context.CreateClient(command);
        var info = await api.SetSecretAsync(name, value, cancellationToken);
        context.Error.WriteLine($"set secret {info.Name} (version {info.Version})");
        return ExitCodes.Success;
    }
}
