using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class ProvisionedSetCommand
{
    public const int MaxCount = 10_000;

    public static readonly CommandSpec Spec = new(
        "provisioned set",
        "Keep COUNT instances warm for an alias or version (0 removes the setting)",
        [
            new ArgumentSpec("NAME", "Function name"),
            new ArgumentSpec("QUALIFIER", "Alias, version number or $LATEST"),
            new ArgumentSpec("COUNT", "Number of warm instances"),
        ],
        [CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        var qualifier = command.Argument("QUALIFIER");
        var count = command.IntArgument("COUNT", 0, MaxCount);
        using var api = context.CreateClient(command);
        await api.PutProvisionedConcurrencyAsync(name, qualifier, count, cancellationToken);
        context.Out.WriteLine($"{name}:{qualifier}: provisioned concurrency {count}");
        return ExitCodes.Success;
    }
}
