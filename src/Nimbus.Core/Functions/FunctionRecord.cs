namespace Nimbus.Core.Functions;

/// <summary>A stored function: its <c>$LATEST</c> configuration and code.</summary>
/// <param name="Revision">Increases on every change of configuration or code; tells <c>$LATEST</c> instances apart.</param>
public sealed record FunctionRecord(
    FunctionConfig Config,
    string? CodeSha256,
    long CodeSize,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string Name => Config.Name;
}
