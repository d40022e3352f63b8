using Nimbus.Cli.Api;
using Nimbus.Cli.Output;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>
/// Plans and applies a manifest. Everything that can be checked is checked before the first change: code
/// directories, routes held by deployed functions outside the deploy, and every build. Then the plan (the
/// difference with what is deployed) is printed and each function that differs is applied: configuration, code,
/// then (with <c>alias</c>) a new version and the alias pointed at it, then provisioned concurrency. Progress
/// goes to <c>progress</c> (stderr).
/// </summary>
internal sealed class ManifestDeployer(ApiClient api, FunctionPackager packager, TextWriter progress, string manifestDisplayPath = "nimbus.yaml")
{
    private readonly ApiClient _api = api;
    private readonly FunctionPackager _packager = packager;
    private readonly TextWriter _progress = progress;
    private readonly string _manifestDisplayPath = manifestDisplayPath;
    private readonly List<DeploymentInfo> _started = [];

    /// <summary>Sent with each deployment started: the error-budget gate and freeze windows let it through (it is the fix).</summary>
    public bool Force { get; init; }

    /// <summary>The deployments started by <see cref="DeployAsync"/> (functions with a <c>deployment:</c> block).</summary>
    public IReadOnlyList<DeploymentInfo> StartedDeployments => _started;

    /// <summary>Checks, builds and packages the functions (all, or <paramref name="onlyFunction"/>) and compares them with the server.</summary>
    public async Task<PreparedDeploy> PlanAsync(NimbusManifest manifest, string? onlyFunction, CancellationToken cancellationToken)
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

        ThrowIfInvalid(CodeDirectoryCheck.Check(manifest, functions));
        var deployed = await DeployedStateReader.ReadAsync(_api, functions, cancellationToken);
        ThrowIfInvalid(PlanDiff.FindConflicts(functions, deployed));

        var packages = new List<FunctionPackage>();
        foreach (var function in functions)
        {
            var zip = await _packager.PackageAsync(function, cancellationToken);
            packages.Add(new FunctionPackage(function, zip, DeterministicZip.Sha256Hex(zip)));
        }

        var plan = PlanDiff.Compute(
            [.. packages.Select(p => new PlannedFunction(p.Function, p.Sha256))],
            deployed,
            onlyFunction is null ? manifest.Functions.Select(f => f.Config.Name).ToList() : [.. deployed.Select(d => d.Function.Name)]);
        ThrowIfInvalid(plan.Errors);
        return new PreparedDeploy(plan, packages);
    }

    /// <returns>How many functions were changed.</returns>
    public async Task<int> DeployAsync(NimbusManifest manifest, string? onlyFunction, CancellationToken cancellationToken)
    {
        var prepared = await PlanAsync(manifest, onlyFunction, cancellationToken);
        PlanRenderer.Write(_progress, prepared.Plan);
        var plans = prepared.Plan.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

        // The server refuses a route another function still serves: functions that give routes up go first, so a
        // route moving between two functions of the manifest is released before it is taken (OrderBy is stable).
        var changed = prepared.Packages
            .Where(p => plans[p.Function.Config.Name].HasChanges)
            .OrderBy(p => plans[p.Function.Config.Name].Changes.Any(c => c.Field == "routes" && c.New is null) ? 0 : 1)
            .ToList();
        // Queues first: the server refuses a function whose sources name a queue that does not exist.
        foreach (var queue in manifest.Queues)
        {
            await _api.PutQueueAsync(queue.Name, QueueConfigRequest.From(queue), cancellationToken);
            _progress.WriteLine($"queue {queue.Name}: applied");
        }

        foreach (var package in changed)
        {
            await DeployFunctionAsync(package.Function, package.Zip, cancellationToken);
        }

        return changed.Count;
    }

    private async Task<bool> AliasExistsAsync(string name, string alias, CancellationToken cancellationToken) =>
        (await _api.ListAliasesAsync(name, cancellationToken)).Any(a => a.Name == alias);

    private void ThrowIfInvalid(IReadOnlyList<ManifestError> errors)
    {
        if (errors.Count > 0)
        {
            ManifestLoader.Fail(_manifestDisplayPath, errors, _progress);
        }
    }

    private async Task DeployFunctionAsync(FunctionManifest function, byte[] zip, CancellationToken cancellationToken)
    {
        var name = function.Config.Name;
        await _api.PutFunctionAsync(name, FunctionConfigRequest.From(function.DeployConfig()), cancellationToken);

        var upload = await _api.UploadCodeAsync(name, zip, cancellationToken);
        _progress.WriteLine(
            $"{name}: uploaded {ByteSize.Format(zip.LongLength)} (sha256 {Formats.ShortSha(upload.CodeSha256)}{(upload.Created ? "" : ", unchanged")})");

        if (function.Alias is { } alias)
        {
            var version = await _api.PublishVersionAsync(name, new PublishVersionRequest(function.Config.Description), cancellationToken);
            _progress.WriteLine($"{name}: published version {version.Version}");
            var versionText = Formats.Integer(version.Version);
            if (function.Deployment is { } plan && await AliasExistsAsync(name, alias, cancellationToken))
            {
                var started = await _api.StartDeploymentAsync(name, DeploymentRequestBody.For(plan, alias, version.Version, Force), cancellationToken);
                _started.Add(started);
                _progress.WriteLine($"{name}: deployment {started.Id} moves {alias} {started.FromVersion} -> {started.ToVersion} by {started.Strategy}");
            }
            else
            {
                // A first deploy has nothing to shift from: the alias is created on the new version.
                await _api.PutAliasAsync(name, alias, new AliasRequest(versionText), cancellationToken);
                _progress.WriteLine($"{name}: alias {alias} -> {versionText}");
            }
        }

        if (function.ProvisionedConcurrency is { } count)
        {
            var qualifier = function.Alias ?? Qualifier.Latest;
            await _api.PutProvisionedConcurrencyAsync(name, qualifier, count, cancellationToken);
            _progress.WriteLine($"{name}: provisioned concurrency {count} on {qualifier}");
        }
    }
}
