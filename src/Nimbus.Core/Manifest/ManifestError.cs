namespace Nimbus.Core.Manifest;

/// <summary>A problem in <c>nimbus.yaml</c>: the field path (e.g. <c>functions.orders.memory</c>), the message, the line.</summary>
public sealed record ManifestError(string Field, string Message, int? Line)
{
    public override string ToString() => Line is { } line ? $"line {line}: {Field}: {Message}" : $"{Field}: {Message}";
}
