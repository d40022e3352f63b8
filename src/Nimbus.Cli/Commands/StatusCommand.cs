using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

/// <summary><c>nimbus status</c>: the platform's version, data dir, store, and whether (and why not) functions are sandboxed.</summary>
internal static class StatusCommand
{
    public static readonly CommandSpec Spec = new(
        "status",
        "Show the platform's version, data dir, store and sandbox mode",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var status = await api.GetStatusAsync(cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, status);
            return ExitCodes.Success;
        }

        var sandbox = status.Sandbox;
        var table = new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("version", status.Version)
            .AddRow("data dir", status.DataDirectory)
            .AddRow("store", $"{status.Store.Kind} ({status.Store.Location})")
            .AddRow("sandbox", sandbox.Mode == "bubblewrap" ? "bubblewrap (each function its own user, mount and PID namespaces)" : "NONE: functions run unsandboxed");
        foreach (var reason in sandbox.Reasons)
        {
            table.AddRow("  because", reason);
        }

        table.AddRow("memory limits", sandbox.MemoryReason is null ? sandbox.Memory : $"{sandbox.Memory} ({sandbox.MemoryReason})");
        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
