using Nimbus.Core.Api;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Manifest;

/// <summary>
/// A function as the server has it, for planning. <see cref="Versions"/>, <see cref="Aliases"/> and
/// <see cref="Provisioned"/> are read only for functions of the manifest; for others they are empty.
/// </summary>
public sealed record DeployedFunction(
    FunctionInfo Function,
    IReadOnlyList<VersionInfo> Versions,
    IReadOnlyList<AliasInfo> Aliases,
    IReadOnlyList<ProvisionedConcurrencyRecord> Provisioned)
{
    public static DeployedFunction Bare(FunctionInfo function) => new(function, [], [], []);
}
