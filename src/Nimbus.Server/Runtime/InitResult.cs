namespace Nimbus.Server.Runtime;

/// <summary>How an instance's initialisation ended.</summary>
public sealed record InitResult(bool Succeeded, string? ErrorType, string? ErrorMessage)
{
    public static InitResult Ready { get; } = new(true, null, null);
}
