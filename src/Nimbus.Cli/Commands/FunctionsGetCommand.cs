using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class FunctionsGetCommand
{
    public static readonly CommandSpec Spec = new(
        "functions get",
        "Show a function's configuration and code",
        [new ArgumentSpec("NAME", "Function name")],
        [MetricsCommand.Price, CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var price = MetricsCommand.ParsePrice(command);
        using var api = context.CreateClient(command);
        var function = await api.GetFunctionAsync(command.Argument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, function);
            return ExitCodes.Success;
        }

        var table = new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("name", function.Name)
            .AddRow("runtime", function.Runtime)
            .AddRow("handler", function.Handler.Length == 0 ? "-" : function.Handler)
            .AddRow("memory", $"{function.MemoryMb} MB")
            .AddRow("timeout", $"{Formats.Number(function.TimeoutSeconds)} s")
            .AddRow("reserved", function.ReservedConcurrency is { } reserved ? Formats.Integer(reserved) : "-")
            .AddRow("description", function.Description ?? "-")
            .AddRow("code", function.CodeSha256 is null ? "none" : $"{ByteSize.Format(function.CodeSize)}  sha256 {function.CodeSha256}")
            .AddRow("revision", Formats.Integer(function.Revision))
            .AddRow("created", Formats.ShortTime(function.CreatedAt))
            .AddRow("updated", Formats.ShortTime(function.UpdatedAt));
        foreach (var route in function.Routes)
        {
            table.AddRow("route", $"{route.Method} {route.Path} -> {route.Qualifier ?? "$LATEST"}");
        }

        foreach (var (key, value) in function.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow("environment", $"{key}={value}");
        }

        table.WriteTo(context.Out);

        // Cold starts and cost of the last hour; a server without metrics (an older version) just leaves them out.
        Nimbus.Core.Metrics.FunctionMetricsSummary? summary = null;
        try
        {
            summary = await api.GetMetricsSummaryAsync(function.Name, "1h", price, cancellationToken);
        }
        catch (Api.ApiException)
        {
        }

        if (summary is not null)
        {
            context.Out.WriteLine();
            context.Out.WriteLine("last hour:");
            MetricsCommand.WriteSummary(context.Out, summary);
        }

        return ExitCodes.Success;
    }
}
