using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;

namespace Nimbus.Cli.Commands;

internal static class AliasSetCommand
{
    public static readonly CommandSpec Spec = new(
        "alias set",
        "Point an alias at a version, optionally sending a weight of traffic to a second version",
        [
            new ArgumentSpec("NAME", "Function name"),
            new ArgumentSpec("ALIAS", "Alias name (live, staging, ...)"),
            new ArgumentSpec("VERSION", "Version number the alias points at"),
        ],
        [
            new OptionSpec("weight", "w", "VERSION=WEIGHT", "Send this share of traffic (0 to <1) to a second version, e.g. 4=0.1"),
            new OptionSpec("description", "d", "TEXT", "Description of the alias"),
            CommonOptions.Output,
            CommonOptions.Url,
            CommonOptions.Timeout,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var version = command.Argument("VERSION");
        if (!Qualifier.IsVersionNumber(version, out _))
        {
            throw command.Invalid("VERSION", version, "expected a version number (1, 2, 3 ...)");
        }

        var weights = command.Option("weight") is { } weight ? ParseWeight(command, weight) : null;
        using var api = context.CreateClient(command);
        var alias = await api.PutAliasAsync(
            command.Argument("NAME"), command.Argument("ALIAS"), new AliasRequest(version, weights, command.Option("description")), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, alias);
        }
        else
        {
            context.Out.WriteLine($"{alias.FunctionName}: alias {alias.Name} -> {AliasListCommand.Routing(alias)}");
        }

        return ExitCodes.Success;
    }

    internal static Dictionary<string, double> ParseWeight(ParsedCommand command, string text)
    {
        var equals = text.IndexOf('=');
        var expected = "expected VERSION=WEIGHT with a weight from 0 to below 1, e.g. 4=0.1";
        if (equals <= 0 ||
            !Qualifier.IsVersionNumber(text[..equals], out _) ||
            !double.TryParse(text[(equals + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) ||
            share >= 1)
        {
            throw command.Invalid("--weight", text, expected);
        }

        return new Dictionary<string, double> { [text[..equals]] = share };
    }
}
