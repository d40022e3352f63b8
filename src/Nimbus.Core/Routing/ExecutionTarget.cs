using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>One runnable thing: a published version, or <c>$LATEST</c> at a given revision.</summary>
/// <param name="Version">"3" or "$LATEST".</param>
/// <param name="PoolKey">Identifies the instances that may serve this target; <c>$LATEST</c> includes the revision so that
/// instances of old code are never reused after an update.</param>
public sealed record ExecutionTarget(FunctionConfig Config, string Version, string CodeSha256, string PoolKey)
{
    public string FunctionName => Config.Name;

    public static ExecutionTarget ForVersion(VersionRecord version) =>
        new(version.Config, version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), version.CodeSha256,
            $"{version.FunctionName}:{version.Number}");

    public static ExecutionTarget? ForLatest(FunctionRecord function) =>
        function.CodeSha256 is null
            ? null
            : new(function.Config, Qualifier.Latest, function.CodeSha256, $"{function.Name}:$LATEST@{function.Revision}");
}
