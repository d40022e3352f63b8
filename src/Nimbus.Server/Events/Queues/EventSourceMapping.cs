using Nimbus.Core.Queues;

namespace Nimbus.Server.Events.Queues;

/// <summary>One function consuming one queue, as the poller runs it: the declared source plus the function's timeout.</summary>
public sealed record EventSourceMapping(string FunctionName, EventSourceConfig Source, double FunctionTimeoutSeconds)
{
    public (string Function, string Queue) Key => (FunctionName, Source.Queue);
}
