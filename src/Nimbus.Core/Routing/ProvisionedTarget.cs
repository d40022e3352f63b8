namespace Nimbus.Core.Routing;

/// <summary>A target that must keep <see cref="Count"/> instances warm, and the qualifier that asked for it.</summary>
public sealed record ProvisionedTarget(ExecutionTarget Target, string Qualifier, int Count);
