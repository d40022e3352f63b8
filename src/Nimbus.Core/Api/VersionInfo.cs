using Nimbus.Core.Functions;

namespace Nimbus.Core.Api;

public sealed record VersionInfo(
    string FunctionName,
    int Version,
    string CodeSha256,
    long CodeSize,
    string? Description,
    DateTimeOffset CreatedAt,
    FunctionConfig Config)
{
    public static VersionInfo From(VersionRecord record) =>
        new(record.FunctionName, record.Number, record.CodeSha256, record.CodeSize, record.Description, record.CreatedAt, record.Config);
}
