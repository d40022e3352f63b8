using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Packaging;

namespace Nimbus.Cli.Commands;

internal static class DeployCommand
{
    public const string DefaultManifest = "nimbus.yaml";

    public static readonly CommandSpec Spec = new(
        "deploy",
        "Build, package and deploy the functions of a manifest (nimbus.yaml)",
        [],
        [
            new OptionSpec("file", "f", "FILE", "Manifest to deploy (default nimbus.yaml)"),
            new OptionSpec("function", null, "NAME", "Deploy only this function of the manifest"),
            new OptionSpec("wait", null, null, "Follow the deployments started (deployment: blocks) until they end; exit 0 only if all succeeded"),
            new OptionSpec("force", null, null, "Start the deployments even while the error budget gate is closed or a freeze window is in force (this is the fix)"),
            CommonOptions.Output,
            CommonOptions.Url,
            CommonOptions.Timeout,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var file = command.Option("file") ?? DefaultManifest;
        var manifest = ManifestLoader.Load(context.FullPath(file), file, context.Error);
        using var api = context.CreateClient(command);
        var output = command.Output;
        var deployer = new ManifestDeployer(api, new FunctionPackager(context.Error), context.Error, file) { Force = command.Flag("force") };
        var count = await deployer.DeployAsync(manifest, command.Option("function"), cancellationToken);
        var url = api.BaseAddress.AbsoluteUri.TrimEnd('/');
        context.Error.WriteLine(count == 0 ? $"no changes: {url} already runs what the manifest says" : $"deployed {count} function{(count == 1 ? "" : "s")} to {url}");
        await PolicyReview.WriteAsync(api, manifest, command.Option("function"), context.Error, cancellationToken);
        if (!command.Flag("wait"))
        {
            foreach (var started in deployer.StartedDeployments)
            {
                context.Error.WriteLine($"follow it with: nimbus deployments watch {started.Id}");
            }

            return ExitCodes.Success;
        }

        var exit = ExitCodes.Success;
        foreach (var started in deployer.StartedDeployments)
        {
            var ended = await DeploymentWatcher.WatchAsync(api, started, output, context.Out, context.Time, cancellationToken);
            // The first deployment that did not succeed decides the exit code.
            if (exit == ExitCodes.Success)
            {
                exit = DeploymentWatcher.ExitCode(ended);
            }
        }

        return exit;
    }
}
