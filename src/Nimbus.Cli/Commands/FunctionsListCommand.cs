using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class FunctionsListCommand
{
    public static readonly CommandSpec Spec = new(
        "functions list",
        "List functions",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var functions = await api.ListFunctionsAsync(cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, functions);
            return ExitCodes.Success;
        }

        var table = new Table("NAME", "RUNTIME", "MEMORY", "TIMEOUT", "CODE", "SHA256", "ROUTES", "UPDATED").AlignRight(2, 3, 4);
        foreach (var function in functions.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                function.Name,
                function.Runtime,
                $"{function.MemoryMb} MB",
                $"{Formats.Number(function.TimeoutSeconds)} s",
                function.CodeSha256 is null ? "-" : ByteSize.Format(function.CodeSize),
                Formats.ShortSha(function.CodeSha256),
                Formats.Integer(function.Routes.Count),
                Formats.ShortTime(function.UpdatedAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
