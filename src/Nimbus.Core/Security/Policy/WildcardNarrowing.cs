namespace Nimbus.Core.Security.Policy;

/// <summary>A declared wildcard grant and the resources that were actually used through it.</summary>
public sealed record WildcardNarrowing(PolicyStatement Grant, IReadOnlyList<string> UsedResources);
