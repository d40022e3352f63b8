namespace Nimbus.Server.Alarms.Notifications;

/// <summary>Invokes a function asynchronously with a payload (the <c>function:NAME</c> channel); false when the function
/// does not exist or its queue refused the event.</summary>
public interface IAsyncFunctionInvoker
{
    Task<bool> InvokeAsync(string function, ReadOnlyMemory<byte> payload, string requestId, CancellationToken cancellationToken);
}
