namespace Nimbus.Core.Queues;

/// <summary>SQS's rule for queue names: 1-80 letters, digits, '-' or '_'.</summary>
public static class QueueNames
{
    public const int MaxLength = 80;

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string? Check(string? name) =>
        IsValid(name) ? null : $"must be 1-{MaxLength} letters, digits, '-' or '_', was {Functions.NameRules.Shown(name)}";
}
