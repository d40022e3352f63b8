using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Core.Invocations;

namespace Nimbus.Server.Events;

/// <summary>
/// The <c>function:NAME</c> destination: Lambda's invocation record, accepted as an async event of the target function
/// (stored with the same group commit as any event, so it is as durable as the event it describes).
/// </summary>
public sealed class FunctionDestination
{
    private readonly AsyncEventAcceptor _acceptor;
    private readonly RoutingState _routing;
    private readonly string _region;

    public FunctionDestination(AsyncEventAcceptor acceptor, RoutingState routing, NimbusServerOptions options)
    {
        _acceptor = acceptor;
        _routing = routing;
        _region = options.Region;
    }

    /// <summary>False when the target does not exist or did not accept the record (then the caller keeps the event).</summary>
    public async Task<bool> SendAsync(string targetFunction, AsyncEvent item, string condition, AsyncAttemptResult? last, int invokeCount,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_routing.Current.GetFunction(targetFunction) is not { } target)
        {
            return false;
        }

        var record = Record(item, condition, last, invokeCount, now);
        var depth = (target.Function.Config.Async ?? AsyncConfig.Default).QueueDepth;
        var accepted = await _acceptor.AcceptAsync(
            new NewAsyncEvent(targetFunction, null, record, RequestIds.New(), item.TraceParent, depth), cancellationToken).ConfigureAwait(false);
        return accepted == AcceptResult.Accepted;
    }

    /// <summary>Lambda's invocation record of <paramref name="item"/>: what every destination (function or webhook) receives.</summary>
    public byte[] Record(AsyncEvent item, string condition, AsyncAttemptResult? last, int invokeCount, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        var failed = last is { Outcome: not (AsyncAttemptOutcome.Success or AsyncAttemptOutcome.Throttled or AsyncAttemptOutcome.PlatformStopping
            or AsyncAttemptOutcome.ZeroReservedConcurrency or AsyncAttemptOutcome.IdempotencyInProgress or AsyncAttemptOutcome.RecursiveInvocationDropped) };
        return DestinationRecord.Write(now, item.RequestId, FunctionArn.For(_region, item.FunctionName, item.Qualifier ?? Qualifier.Latest),
            condition, invokeCount, item.Payload.Span, last?.ExecutedVersion, failed ? "Unhandled" : null, last is null ? default : last.Response.Span);
    }
}
