using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Logs;

namespace Nimbus.Cli.Commands;

internal static class LogsCommand
{
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);

    public static readonly CommandSpec Spec = new(
        "logs",
        "Show a function's logs, or follow them live",
        [new ArgumentSpec("NAME", "Function name")],
        [
            new OptionSpec("request", "r", "ID", "Only lines of this request id"),
            new OptionSpec("trace", null, "TRACE_ID", "Only lines of this trace (every invocation in it)"),
            new OptionSpec("since", "s", "WHEN", "Only lines since a duration ago (10m, 2h, 1d) or an ISO-8601 time"),
            new OptionSpec("level", "l", "LEVEL", "Only lines at this level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)"),
            new OptionSpec("filter", "q", "TEXT", "Only lines containing this text"),
            new OptionSpec("limit", "n", "N", "At most N lines (the newest), default 1000"),
            new OptionSpec("follow", "F", null, "Keep printing new lines until Ctrl+C"),
            CommonOptions.Output,
            CommonOptions.Url,
            CommonOptions.Timeout,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var query = BuildQuery(command, context.Time.GetUtcNow());
        var follow = command.Flag("follow");
        using var api = context.CreateClient(command);
        var records = await api.GetLogsAsync(query, cancellationToken);
        if (!follow)
        {
            if (output == OutputFormat.Json)
            {
                JsonOutput.Write(context.Out, records);
            }
            else
            {
                Print(context.Out, records, output);
            }

            return ExitCodes.Success;
        }

        // Following: JSON output becomes one object per line so it can be read as a stream.
        Print(context.Out, records, output);
        // The largest id, not the last line's: the first page is in time order, and a line's time (a runtime's own
        // timestamp) can be earlier than that of a line written before it.
        var lastId = records.Count > 0 ? records.Max(r => r.Id) : (long?)null;
        try
        {
            while (true)
            {
                await Task.Delay(FollowInterval, context.Time, cancellationToken);

                // Without a last id, nothing matched before, so everything that matches now is new.
                records = await api.GetLogsAsync(query with { AfterId = lastId }, cancellationToken);
                Print(context.Out, records, output);
                if (records.Count > 0)
                {
                    lastId = Math.Max(lastId ?? 0, records.Max(r => r.Id));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }

    internal static LogQuery BuildQuery(ParsedCommand command, DateTimeOffset now)
    {
        DateTimeOffset? since = null;
        if (command.Option("since") is { } sinceText)
        {
            since = DurationParser.TryParseSince(sinceText, now, out var value, out var error)
                ? value
                : throw command.Invalid("--since", sinceText, error);
        }

        var level = command.Option("level")?.ToUpperInvariant();
        if (level is not (null or "TRACE" or "DEBUG" or "INFO" or "WARN" or "ERROR" or "FATAL"))
        {
            throw command.Invalid("--level", command.Option("level")!, "expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
        }

        return new LogQuery(
            command.Argument("NAME"),
            RequestId: command.Option("request"),
            Since: since,
            Level: level,
            Text: command.Option("filter"),
            Limit: command.IntOption("limit", 1, 10_000) ?? 1000)
        {
            TraceId = TraceOption(command),
        };
    }

    private static string? TraceOption(ParsedCommand command) =>
        command.Option("trace") is not { } trace ? null
        : trace.Length == 32 && trace.All(char.IsAsciiHexDigit) ? trace.ToLowerInvariant()
        : throw command.Invalid("--trace", trace, "expected a trace id of 32 hex digits");

    private static void Print(TextWriter output, IReadOnlyList<LogRecord> records, OutputFormat format)
    {
        foreach (var record in records)
        {
            if (format == OutputFormat.Json)
            {
                JsonOutput.WriteLine(output, record);
            }
            else
            {
                output.WriteLine(LogLineFormatter.Format(record));
            }
        }

        output.Flush();
    }
}
