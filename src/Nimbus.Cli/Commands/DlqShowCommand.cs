using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class DlqShowCommand
{
    public static readonly CommandSpec Spec = new(
        "dlq show",
        "Show one dead letter: the event, its error and every attempt",
        [new ArgumentSpec("NAME", "Function name"), new ArgumentSpec("ID", "Dead letter id (from dlq list)")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var letter = await api.GetDeadLetterAsync(command.Argument("NAME"), command.Argument("ID"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            // The payload as JSON when it is JSON, so the output can be piped into jq as one document.
            JsonOutput.Write(context.Out, new
            {
                letter.Id, letter.FunctionName, letter.Qualifier, letter.RequestId, letter.TraceId, letter.Condition, letter.ErrorType,
                letter.ErrorMessage, letter.EnqueuedAt, letter.DeadLetteredAt, letter.Redrives, payload = ApiClient.PayloadAsJson(letter.Payload),
                letter.Logs, letter.Attempts,
            });
            return ExitCodes.Success;
        }

        var writer = context.Out;
        writer.WriteLine($"id           {letter.Id}");
        writer.WriteLine($"request      {letter.RequestId}");
        writer.WriteLine($"trace        {letter.TraceId ?? "-"}");
        writer.WriteLine($"condition    {letter.Condition}");
        writer.WriteLine($"error        {letter.ErrorType ?? "-"}: {letter.ErrorMessage ?? ""}");
        writer.WriteLine($"accepted     {Formats.Time(letter.EnqueuedAt)}");
        writer.WriteLine($"dead-letter  {Formats.Time(letter.DeadLetteredAt)}");
        writer.WriteLine($"redrives     {Formats.Integer(letter.Redrives)}");
        writer.WriteLine($"logs         nimbus logs {letter.FunctionName} --request {letter.RequestId}");
        writer.WriteLine($"payload      {letter.Payload}");
        var table = new Table("ATTEMPT", "STARTED", "OUTCOME", "VERSION", "DURATION", "ERROR").AlignRight(0, 4);
        foreach (var attempt in letter.Attempts)
        {
            table.AddRow(Formats.Integer(attempt.Number), Formats.Time(attempt.StartedAt), attempt.Outcome.ToString(), attempt.ExecutedVersion ?? "-",
                $"{Formats.Number(attempt.DurationMs)} ms", attempt.ErrorType ?? "-");
        }

        writer.WriteLine();
        table.WriteTo(writer);
        return ExitCodes.Success;
    }
}
