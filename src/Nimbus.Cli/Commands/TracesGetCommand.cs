using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Logs;

namespace Nimbus.Cli.Commands;

internal static class TracesGetCommand
{
    public static readonly CommandSpec Spec = new(
        "traces get",
        "Show one trace as a waterfall: every span with its duration, and each invocation's log lines",
        [new ArgumentSpec("TRACE_ID", "Trace id (32 hex digits), as `nimbus traces list` shows them")],
        [new OptionSpec("no-logs", null, null, "Leave out the log lines"), CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var id = command.Argument("TRACE_ID").ToLowerInvariant();
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            throw command.Invalid("TRACE_ID", id, "expected a trace id (32 hex digits)");
        }

        using var api = context.CreateClient(command);
        var trace = await api.GetTraceAsync(id, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, trace.Spans);
            return ExitCodes.Success;
        }

        var logs = new Dictionary<string, IReadOnlyList<LogRecord>>(StringComparer.Ordinal);
        if (!command.Flag("no-logs"))
        {
            foreach (var span in trace.Spans.Where(s => s.Kind == "Server" && s.Origin == Core.Tracing.SpanRecord.PlatformOrigin))
            {
                if (span.FunctionName is { } function && span.RequestId is { } requestId && !logs.ContainsKey(requestId))
                {
                    logs[requestId] = await api.GetLogsAsync(new LogQuery(function, requestId, Limit: 200), cancellationToken);
                }
            }
        }

        TraceWaterfall.Write(context.Out, trace.Spans, logs);
        return ExitCodes.Success;
    }
}
