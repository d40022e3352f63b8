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
            CommonOptions.Url,
            CommonOptions.Timeout,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var file = command.Option("file") ?? DefaultManifest;
        var manifest = ManifestLoader.Load(context.FullPath(file), file, context.Error);
        using var api = context.CreateClient(command);
        var deployer = new ManifestDeployer(api, new FunctionPackager(context.Error), context.Error, file);
        var count = await deployer.DeployAsync(manifest, command.Option("function"), cancellationToken);
        var url = api.BaseAddress.AbsoluteUri.TrimEnd('/');
        context.Error.WriteLine(count == 0 ? $"no changes: {url} already runs what the manifest says" : $"deployed {count} function{(count == 1 ? "" : "s")} to {url}");
        await PolicyReview.WriteAsync(api, manifest, command.Option("function"), context.Error, cancellationToken);
        return ExitCodes.Success;
    }
}
