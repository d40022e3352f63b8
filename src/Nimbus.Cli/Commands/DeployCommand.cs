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
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var file = command.Option("file") ?? DefaultManifest;
        var manifest = ManifestLoader.Load(context.FullPath(file), file, context.Error);
        using var api = context.CreateClient(command);
        var deployer = new ManifestDeployer(api, new FunctionPackager(context.Error), context.Error);
        var count = await deployer.DeployAsync(manifest, command.Option("function"), cancellationToken);
        context.Error.WriteLine($"deployed {count} function{(count == 1 ? "" : "s")} to {api.BaseAddress.AbsoluteUri.TrimEnd('/')}");
        return ExitCodes.Success;
    }
}
