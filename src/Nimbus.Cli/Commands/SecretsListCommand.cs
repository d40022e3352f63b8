using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class SecretsListCommand
{
    public static readonly CommandSpec Spec = new(
        "secrets list",
        "List secrets: names, versions and times (never values)",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        using var api = context.CreateClient(command);
        var secrets = await api.ListSecretsAsync(cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, secrets);
            return ExitCodes.Success;
        }

        var table = new Table("NAME", "VERSION", "CREATED", "UPDATED");
        foreach (var secret in secrets)
        {
            table.AddRow(secret.Name, secret.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Formats.ShortTime(secret.CreatedAt), Formats.ShortTime(secret.UpdatedAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
