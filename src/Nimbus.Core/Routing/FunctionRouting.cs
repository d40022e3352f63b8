using Nimbus.Core.Functions;

namespace Nimbus.Core.Routing;

/// <summary>Everything the gateway needs to resolve invocations of one function. Immutable.</summary>
public sealed class FunctionRouting
{
    public FunctionRouting(
        FunctionRecord function,
        ExecutionTarget? latest,
        IReadOnlyDictionary<int, ExecutionTarget> versions,
        IReadOnlyDictionary<string, AliasRecord> aliases)
    {
        Function = function;
        Latest = latest;
        Versions = versions;
        Aliases = aliases;
    }

    public FunctionRecord Function { get; }
    public ExecutionTarget? Latest { get; }
    public IReadOnlyDictionary<int, ExecutionTarget> Versions { get; }
    public IReadOnlyDictionary<string, AliasRecord> Aliases { get; }
}
