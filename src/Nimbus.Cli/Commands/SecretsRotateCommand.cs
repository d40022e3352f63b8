using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SecretsRotateCommand
{
    public static readonly CommandSpec Spec = new(
        "secrets rotate",
        "Give an existing secret a new value (a new version), from standard input or --file",
        [new ArgumentSpec("NAME", "Secret name")],
        [SecretInput.File, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        var value = await SecretInput.ReadAsync(command, context, cancellationToken);
        using var api = context.CreateClient(command);
        var info = await api.RotateSecretAsync(name, value, cancellationToken);
        context.Error.WriteLine($"rotated secret {info.Name} to version {info.Version}; instances started from now on get the new value");
        return ExitCodes.Success;
    }
}
