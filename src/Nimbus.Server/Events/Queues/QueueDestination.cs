using System.Text;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Server.Hosting;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// The <c>queue:NAME</c> async destination: Lambda's invocation record, sent as the body of one message to the named
/// queue (fsynced like any send), on behalf of the function whose event it describes.
/// </summary>
public sealed class QueueDestination
{
    private readonly QueueSender _sender;
    private readonly string _region;

    public QueueDestination(QueueSender sender, NimbusServerOptions options)
    {
        _sender = sender;
        _region = options.Region;
    }

    /// <returns>Null when sent; else why not (then the caller keeps the event).</returns>
    public Task<string?> SendAsync(string queueName, AsyncEvent item, string condition, AsyncAttemptResult? last, int invokeCount,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var failed = last is { Outcome: not (AsyncAttemptOutcome.Success or AsyncAttemptOutcome.Throttled or AsyncAttemptOutcome.PlatformStopping
            or AsyncAttemptOutcome.ZeroReservedConcurrency) };
        var record = DestinationRecord.Write(now, item.RequestId, FunctionArn.For(_region, item.FunctionName, item.Qualifier ?? Qualifier.Latest),
            condition, invokeCount, item.Payload.Span, last?.ExecutedVersion, failed ? "Unhandled" : null, last is null ? default : last.Response.Span);
        var message = new NewQueueMessage(Encoding.UTF8.GetString(record), null, null, item.TraceParent);
        return _sender.SendForFunctionAsync(item.FunctionName, queueName, message, cancellationToken);
    }
}
