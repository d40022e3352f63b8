namespace Nimbus.Server.Events.Queues;

/// <summary>A message to send: its body, string attributes, an optional per-message delay and the sender's trace.</summary>
public sealed record NewQueueMessage(string Body, IReadOnlyDictionary<string, string>? Attributes = null, int? DelaySeconds = null, string? TraceParent = null)
{
    public string MessageId { get; init; } = Guid.NewGuid().ToString();
}
