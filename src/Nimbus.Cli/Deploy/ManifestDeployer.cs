using Nimbus.Cli.Api;
using Nimbus.Cli.Output;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>
/// Applies a manifest to a server, function by function: configuration, code, then (with <c>alias</c>) a new version
/// and the alias pointed at it, then provisioned concurrency. Every function is built and packaged before anything
/// is uploaded, so a failing build leaves the server untouched. Progress goes to <c>progress</c> (stderr).
/// </summary>
internal sealed class ManifestDeployer(ApiClient api, FunctionPackager packager, TextWriter progress)
{
    private readonly ApiClient _api = api;
    private readonly FunctionPackager _packager = packager;
    private readonly TextWriter _progress = progress;

    /// <returns>How many functions were deployed.</returns>
    public async Task<int> DeployAsync(NimbusManifest manifest, string? onlyFunction, CancellationToken cancellationToken)
    {
        var functions = manifest.Functions.Where(f => onlyFunction is null || f.Config.Name == onlyFunction).ToList();
        if (functions.Count == 0)
        {
            throw onlyFunction is null
                ? new CliException("the manifest declares no functions", ExitCodes.Usage)
                : new CliException(
                    $"the manifest has no function '{onlyFunction}' (it has {string.Join(", ", manifest.Functions.Select(f => f.Config.Name))})",
                    ExitCodes.Usage);
        }

        var packages = new List<(FunctionManifest Function, byte[] Zip)>();
        foreach (var function in functions)
        {
            packages.Add((function, await _packager.PackageAsync(function, cancellationToken)));
        }

        foreach (var (function, zip) in packages)
        {
            await DeployFunctionAsync(function, zip, cancellationToken);
        }

        return packages.Count;
    }

    private async Task DeployFunctionAsync(FunctionManifest function, byte[] zip, CancellationToken cancellationToken)
    {
        var name = function.Config.Name;
        await _api.PutFunctionAsync(name, FunctionConfigRequest.From(WithRouteQualifiers(function)), cancellationToken);

        var upload = await _api.UploadCodeAsync(name, zip, cancellationToken);
        _progress.WriteLine(
            $"{name}: uploaded {ByteSize.Format(zip.LongLength)} (sha256 {Formats.ShortSha(upload.CodeSha256)}{(upload.Created ? "" : ", unchanged")})");

        if (function.Alias is { } alias)
        {
            var version = await _api.PublishVersionAsync(name, new PublishVersionRequest(function.Config.Description), cancellationToken);
            _progress.WriteLine($"{name}: published version {version.Version}");
            var versionText = Formats.Integer(version.Version);
            await _api.PutAliasAsync(name, alias, new AliasRequest(versionText), cancellationToken);
            _progress.WriteLine($"{name}: alias {alias} -> {versionText}");
        }

        if (function.ProvisionedConcurrency is { } count)
        {
            var qualifier = function.Alias ?? Qualifier.Latest;
            await _api.PutProvisionedConcurrencyAsync(name, qualifier, count, cancellationToken);
            _progress.WriteLine($"{name}: provisioned concurrency {count} on {qualifier}");
        }
    }

    /// <summary>Routes of a function with an alias invoke that alias unless they name a qualifier themselves.</summary>
    private static FunctionConfig WithRouteQualifiers(FunctionManifest function) =>
        function.Alias is not { } alias
            ? function.Config
            : function.Config with { Routes = [.. function.Config.Routes.Select(r => r.Qualifier is null ? r with { Qualifier = alias } : r)] };
}
