namespace Nimbus.Core.Api;

/// <summary>Body of <c>PUT /api/v1/functions/{name}/aliases/{alias}</c>.</summary>
/// <param name="AdditionalVersionWeights">At most one entry: version number (as a string, as in Lambda) to weight in [0, 1).</param>
public sealed record AliasRequest(
    string Version,
    Dictionary<string, double>? AdditionalVersionWeights = null,
    string? Description = null);
