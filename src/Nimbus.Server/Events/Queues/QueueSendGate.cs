namespace Nimbus.Server.Events.Queues;

/// <summary>
/// The one place where a function's send to a queue would be authorized (the <c>queue:send</c> permission of its
/// policy). Every send made on a function's behalf — today the <c>queue:NAME</c> async destination — asks here first;
/// sends through the management API are the operator's and are not asked. Allows everything until policies exist.
/// </summary>
public static class QueueSendGate
{
    /// <returns>Null when <paramref name="functionName"/> may send to <paramref name="queueName"/>; else why not.</returns>
    public static string? AuthorizeFunctionSend(string functionName, string queueName)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        ArgumentNullException.ThrowIfNull(queueName);
        return null;
    }
}
