namespace Nimbus.Core.Metrics;

/// <summary>
/// One metric of a CloudWatch Embedded Metric Format line: its stored name is <c>Namespace/Name</c> (so custom
/// metrics never collide with the platform's), its values, and one <c>k=v,k2=v2</c> string per dimension set.
/// </summary>
public sealed record EmfMetric(string Name, string? Unit, IReadOnlyList<double> Values, IReadOnlyList<string> DimensionSets);
