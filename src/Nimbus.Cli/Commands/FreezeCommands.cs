using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Commands;

/// <summary><c>nimbus freeze add|list|remove</c>: the server's freeze windows, during which deployments do not start unless forced.</summary>
internal static class FreezeCommands
{
    public static readonly CommandSpec Add = new(
        "freeze add",
        "Freeze deployments (of every function, or of one) from --start (default now) to --end or for --for",
        [],
        [
            new OptionSpec("start", null, "TIME", "When the freeze begins, ISO 8601 with a zone (2026-12-24T00:00Z); default now"),
            new OptionSpec("end", null, "TIME", "When it ends, ISO 8601 with a zone (2026-12-27T00:00Z)"),
            new OptionSpec("for", null, "DURATION", "How long instead of --end: 2h, 3d"),
            new OptionSpec("reason", null, "TEXT", "Why (shown to whoever is refused); required"),
            new OptionSpec("function", null, "NAME", "Freeze only this function"),
            CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout,
        ],
        AddAsync);

    public static readonly CommandSpec List = new(
        "freeze list",
        "List the freeze windows in force or to come",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        ListAsync);

    public static readonly CommandSpec Remove = new(
        "freeze remove",
        "Remove a freeze window",
        [new ArgumentSpec("ID", "Freeze window id (fw-…), from freeze list")],
        [CommonOptions.Url, CommonOptions.Timeout],
        RemoveAsync);

    private static async Task<int> AddAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var start = command.Option("start");
        var end = command.Option("end");
        var duration = command.DurationOption("for");
        if (end is not null && duration is not null)
        {
            throw new CliException("freeze add takes --end or --for, not both", ExitCodes.Usage);
        }

        if (end is null && duration is null)
        {
            throw new CliException("freeze add needs --end TIME (e.g. --end 2026-12-27T00:00Z) or --for DURATION (e.g. --for 2h)", ExitCodes.Usage);
        }

        if (command.Option("reason") is not { } reason)
        {
            throw new CliException("freeze add needs --reason TEXT (it is shown to whoever is refused)", ExitCodes.Usage);
        }

        if (duration is { } length)
        {
            DateTimeOffset from;
            if (start is null)
            {
                from = context.Time.GetUtcNow();
            }
            else if (!FreezeWindowValidator.TryParseInstant(start, out from))
            {
                throw new CliException($"--start: '{start}' is not an ISO 8601 instant with a time zone such as 2026-12-24T00:00Z", ExitCodes.Usage);
            }

            end = Iso(from + length);
        }

        // The server validates the window (one set of rules for the API and the CLI).
        var request = new FreezeWindowRequest { Start = start ?? Iso(context.Time.GetUtcNow()), End = end, Reason = reason, Function = command.Option("function") };
        using var api = context.CreateClient(command);
        var window = await api.AddFreezeWindowAsync(request, cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, window);
        }
        else
        {
            context.Out.WriteLine($"{window.Id}: deployments of {window.Function ?? "every function"} frozen from {Formats.ShortTime(window.Start)} "
                + $"to {Formats.ShortTime(window.End)} ({window.Reason})");
        }

        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        using var api = context.CreateClient(command);
        var windows = await api.ListFreezeWindowsAsync(cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, windows);
            return ExitCodes.Success;
        }

        var now = context.Time.GetUtcNow();
        var table = new Table("ID", "FUNCTION", "START", "END", "STATE", "REASON");
        foreach (var w in windows)
        {
            table.AddRow(w.Id ?? "-", w.Function ?? "*", Formats.ShortTime(w.Start), Formats.ShortTime(w.End), w.Contains(now) ? "in force" : "to come", w.Reason ?? "-");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    private static async Task<int> RemoveAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var id = command.Argument("ID");
        using var api = context.CreateClient(command);
        await api.RemoveFreezeWindowAsync(id, cancellationToken);
        context.Error.WriteLine($"removed freeze window {id}");
        return ExitCodes.Success;
    }

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
