using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class AuditCommand
{
    public static readonly CommandSpec Spec = new(
        "audit",
        "Show management actions and refused attempts: who, what, when, from where",
        [],
        [new OptionSpec("since", null, "DURATION", "Only records this recent, e.g. 1h or 7d (default: the last 1000)"), CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var since = command.DurationOption("since");
        if (since <= TimeSpan.Zero)
        {
            throw command.Invalid("--since", command.Option("since")!, "expected a positive duration such as 1h");
        }

        using var api = context.CreateClient(command);
        var records = await api.GetAuditAsync(since is { } ago ? context.Time.GetUtcNow() - ago : null, cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, records);
            return ExitCodes.Success;
        }

        var table = new Table("TIME", "IDENTITY", "ROLE", "ACTION", "TARGET", "SOURCE", "OUTCOME", "STATUS");
        foreach (var record in records)
        {
            table.AddRow(Formats.Time(record.Time), record.IdentityId ?? "-", record.Role ?? "-", record.Action, record.Target, record.Source,
                record.Outcome, Formats.Integer(record.Status));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
