namespace Nimbus.Core.Security.Policy;

/// <summary>The actions a function's policy can grant. A function is allowed nothing it is not granted.</summary>
public static class PolicyActions
{
    /// <summary>Invoke another function (resource: its name).</summary>
    public const string FunctionInvoke = "function:invoke";

    /// <summary>Read a secret, as an environment reference or through the secrets extension (resource: the secret's name).</summary>
    public const string SecretRead = "secret:read";

    /// <summary>Send a message to a queue (resource: the queue's name).</summary>
    public const string QueueSend = "queue:send";

    public static readonly IReadOnlyList<string> All = [FunctionInvoke, SecretRead, QueueSend];

    public static bool IsKnown(string? action) => action is not null && All.Contains(action, StringComparer.Ordinal);
}
