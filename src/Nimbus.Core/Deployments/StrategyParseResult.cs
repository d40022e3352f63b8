using Nimbus.Core.Functions;

namespace Nimbus.Core.Deployments;

/// <summary>A parsed strategy, or the errors that say why the text or fields are not one.</summary>
public sealed record StrategyParseResult(DeploymentStrategy? Strategy, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Strategy is not null;
}
