using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Output;
using Nimbus.Cli.Packaging;

namespace Nimbus.Cli.Commands;

internal static class PlanCommand
{
    public const string DetailedExitCodeFlag = "--detailed-exitcode";

    /// <summary>With <c>--detailed-exitcode</c>: the plan has changes (as terraform).</summary>
    public const int ChangesPending = 2;

    public static readonly CommandSpec Spec = new(
        "plan",
        "Show what deploy would change: functions to create or update, code, configuration, aliases",
        [],
        [
            new OptionSpec("file", "f", "FILE", "Manifest to compare (default nimbus.yaml)"),
            new OptionSpec("function", null, "NAME", "Compare only this function of the manifest"),
            new OptionSpec("detailed-exitcode", null, null, "Exit 0 when nothing would change, 2 when something would, 1 on any error"),
            CommonOptions.Output,
            CommonOptions.Url,
            CommonOptions.Timeout,
        ],
        RunAsync);

    /// <summary>
    /// With <c>--detailed-exitcode</c>, 2 means "changes", so a usage or validation error (normally 2) exits 1, as
    /// terraform's errors do; every other code keeps its meaning.
    /// </summary>
    public static int ErrorExitCode(IReadOnlyList<string> args, int exitCode) =>
        exitCode == ExitCodes.Usage && args.Count > 0 && args.Contains(DetailedExitCodeFlag) && args.Contains(Spec.Name)
            ? ExitCodes.Failed
            : exitCode;

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var file = command.Option("file") ?? DeployCommand.DefaultManifest;
        var manifest = ManifestLoader.Load(context.FullPath(file), file, context.Error);
        using var api = context.CreateClient(command);
        var planner = new ManifestDeployer(api, new FunctionPackager(context.Error), context.Error, file);
        var plan = (await planner.PlanAsync(manifest, command.Option("function"), cancellationToken)).Plan;
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, plan);
        }
        else
        {
            PlanRenderer.Write(context.Out, plan);
            await PolicyReview.WriteAsync(api, manifest, command.Option("function"), context.Out, cancellationToken);
        }

        return plan.HasChanges && command.Flag("detailed-exitcode") ? ChangesPending : ExitCodes.Success;
    }
}
