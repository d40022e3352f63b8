using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>A checked, built and planned deploy: the plan, and the package of each function it applies.</summary>
internal sealed record PreparedDeploy(ManifestPlan Plan, IReadOnlyList<FunctionPackage> Packages);
