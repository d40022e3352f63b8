using Nimbus.Core.Events;
using Nimbus.Server.Events;
using Nimbus.Server.Gateway;

namespace Nimbus.Server.Alarms.Notifications;

/// <summary>Hands the notification to the async event acceptor as an event of the target function, so it is stored with
/// the same group commit as any async invocation and retried by the function's own async settings.</summary>
public sealed class AcceptorFunctionInvoker(AsyncEventAcceptor acceptor, RoutingState routing) : IAsyncFunctionInvoker
{
    public async Task<bool> InvokeAsync(string function, ReadOnlyMemory<byte> payload, string requestId, CancellationToken cancellationToken)
    {
        if (routing.Current.GetFunction(function) is not { } target)
        {
            return false;
        }

        var depth = (target.Function.Config.Async ?? AsyncConfig.Default).QueueDepth;
        var result = await acceptor.AcceptAsync(new NewAsyncEvent(function, null, payload, requestId, null, depth), cancellationToken).ConfigureAwait(false);
        return result == AcceptResult.Accepted;
    }
}
