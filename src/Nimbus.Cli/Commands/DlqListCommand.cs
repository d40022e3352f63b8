using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class DlqListCommand
{
    public static readonly CommandSpec Spec = new(
        "dlq list",
        "List a function's dead letters, newest first",
        [new ArgumentSpec("NAME", "Function name")],
        [new OptionSpec("limit", "n", "N", "Most dead letters to show (1-1000, default 100)"), CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var limit = command.IntOption("limit", 1, 1000) ?? 100;
        using var api = context.CreateClient(command);
        var letters = await api.ListDeadLettersAsync(command.Argument("NAME"), limit, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, letters);
            return ExitCodes.Success;
        }

        var table = new Table("ID", "REQUEST", "CONDITION", "ERROR", "ATTEMPTS", "DEAD-LETTERED").AlignRight(4);
        foreach (var letter in letters)
        {
            table.AddRow(letter.Id, letter.RequestId, letter.Condition, letter.ErrorType ?? "-", Formats.Integer(letter.Attempts.Count),
                Formats.ShortTime(letter.DeadLetteredAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
