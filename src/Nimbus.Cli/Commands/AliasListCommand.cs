using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class AliasListCommand
{
    public static readonly CommandSpec Spec = new(
        "alias list",
        "List the aliases of a function and where they send traffic",
        [new ArgumentSpec("NAME", "Function name")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var aliases = await api.ListAliasesAsync(command.Argument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, aliases);
            return ExitCodes.Success;
        }

        var table = new Table("ALIAS", "VERSION", "ROUTING", "UPDATED", "DESCRIPTION").AlignRight(1);
        foreach (var alias in aliases.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            table.AddRow(alias.Name, Formats.Integer(alias.Version), Routing(alias), Formats.ShortTime(alias.UpdatedAt), alias.Description ?? "");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    /// <summary><c>3</c>, or <c>3 (90%), 4 (10%)</c> while a second version takes a weight.</summary>
    internal static string Routing(AliasInfo alias)
    {
        if (alias.AdditionalVersionWeights.Count == 0)
        {
            return Formats.Integer(alias.Version);
        }

        var extra = alias.AdditionalVersionWeights.Sum(w => w.Value);
        var parts = alias.AdditionalVersionWeights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} ({Percent(w.Value)})");
        return string.Join(", ", parts.Prepend($"{alias.Version} ({Percent(1 - extra)})"));
    }

    private static string Percent(double share) => Formats.Number(Math.Round(share * 100, 2)) + "%";
}
