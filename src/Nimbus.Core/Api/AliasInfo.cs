using Nimbus.Core.Functions;

namespace Nimbus.Core.Api;

public sealed record AliasInfo(
    string FunctionName,
    string Name,
    int Version,
    IReadOnlyDictionary<string, double> AdditionalVersionWeights,
    string? Description,
    DateTimeOffset UpdatedAt)
{
    public static AliasInfo From(AliasRecord record) => new(
        record.FunctionName,
        record.Name,
        record.Version,
        record.AdditionalVersion is { } extra
            ? new Dictionary<string, double> { [extra.ToString(System.Globalization.CultureInfo.InvariantCulture)] = record.AdditionalWeight }
            : new Dictionary<string, double>(),
        record.Description,
        record.UpdatedAt);
}
