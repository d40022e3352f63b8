using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class SloStatusCommand
{
    public static readonly CommandSpec Spec = new(
        "slo status",
        "Show each objective: attainment, error budget left, burn rates over the SRE workbook's windows and whether it alerts",
        [new ArgumentSpec("NAME", "Function name (default: every function)", Optional: true)],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var slos = await api.ListSloStatusAsync(command.OptionalArgument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, slos);
            return ExitCodes.Success;
        }

        if (slos.Count == 0)
        {
            context.Out.WriteLine("No objectives; declare them with 'slos:' beside a function in nimbus.yaml.");
            return ExitCodes.Success;
        }

        var table = new Table("FUNCTION", "SLO", "OBJECTIVE", "WINDOW", "ATTAINMENT", "BUDGET LEFT", "BURN 1H/5M", "BURN 6H/30M", "BURN 3D/6H", "ALERT");
        foreach (var slo in slos)
        {
            table.AddRow(
                slo.Function + (slo.Alias is { } alias ? ":" + alias : ""),
                slo.Name,
                Objective(slo),
                slo.Window,
                slo.Attainment is { } attained ? attained.ToString("0.###", CultureInfo.InvariantCulture) + "%" : "-",
                (slo.BudgetRemaining * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
                Burn(slo, "page-1h"),
                Burn(slo, "page-6h"),
                Burn(slo, "ticket-3d"),
                slo.AlertState);
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    private static string Objective(SloStatus slo) =>
        Formats.Number(slo.Objective) + "%" + (slo.LatencyMs is { } ms ? $" < {Formats.Number(ms)}ms" : "");

    private static string Burn(SloStatus slo, string rule) =>
        slo.BurnRates.FirstOrDefault(b => b.Rule == rule) is { } b
            ? $"{Formats.Number(b.LongBurnRate)}/{Formats.Number(b.ShortBurnRate)}{(b.Firing ? "!" : "")}"
            : "-";
}
