namespace Nimbus.Core.Functions;

/// <summary>A named pointer to a version, optionally sending <see cref="AdditionalWeight"/> of traffic to a second version.</summary>
public sealed record AliasRecord(
    string FunctionName,
    string Name,
    int Version,
    int? AdditionalVersion,
    double AdditionalWeight,
    string? Description,
    DateTimeOffset UpdatedAt);
