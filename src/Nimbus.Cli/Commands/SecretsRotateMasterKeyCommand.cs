using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class SecretsRotateMasterKeyCommand
{
    public static readonly CommandSpec Spec = new(
        "secrets rotate-master-key",
        "Replace the master key file with a new key and re-wrap every secret's data key (one transaction)",
        [],
        [CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        using var api = context.CreateClient(command);
        var result = await api.RotateMasterKeyAsync(cancellationToken);
        context.Error.WriteLine($"rotated the master key; re-wrapped {result.Rewrapped} data key{(result.Rewrapped == 1 ? "" : "s")}");
        return ExitCodes.Success;
    }
}
