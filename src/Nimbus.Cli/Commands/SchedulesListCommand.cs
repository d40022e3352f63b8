using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class SchedulesListCommand
{
    public static readonly CommandSpec Spec = new(
        "schedules list",
        "List schedules with their expression, next fire time and last result",
        [new ArgumentSpec("NAME", "Function name (default: every function)", Optional: true)],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var schedules = await api.ListSchedulesAsync(command.OptionalArgument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, schedules);
            return ExitCodes.Success;
        }

        var table = new Table("ID", "FUNCTION", "EXPRESSION", "TIMEZONE", "NEXT", "LAST", "RESULT");
        foreach (var schedule in schedules)
        {
            table.AddRow(schedule.Id, schedule.FunctionName, schedule.Expression, schedule.Timezone ?? "UTC",
                schedule.Paused ? "paused" : schedule.NextFireTime is { } next ? Formats.ShortTime(next) : schedule.Enabled ? "-" : "disabled",
                schedule.LastFireTime is { } last ? Formats.ShortTime(last) : "-", schedule.LastResult ?? "-");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
