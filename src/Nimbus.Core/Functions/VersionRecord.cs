namespace Nimbus.Core.Functions;

/// <summary>An immutable, numbered snapshot of a function's configuration and code.</summary>
public sealed record VersionRecord(
    string FunctionName,
    int Number,
    FunctionConfig Config,
    string CodeSha256,
    long CodeSize,
    string? Description,
    DateTimeOffset CreatedAt);
