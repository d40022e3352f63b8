namespace Nimbus.Core.Deployments.Shadow;

/// <summary>One behaviour difference kept for the report: which live request, how it differed, and both sides in short.</summary>
public sealed record ShadowExample(string RequestId, ShadowDifference Difference, string Live, string Shadow);
