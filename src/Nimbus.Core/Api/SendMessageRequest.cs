namespace Nimbus.Core.Api;

/// <summary>
/// Body of <c>POST /api/v1/queues/{name}/messages</c>: one message (<c>body</c>, optional <c>messageAttributes</c> and
/// <c>delaySeconds</c>) or a batch of up to 10 under <c>messages</c>.
/// </summary>
public sealed record SendMessageRequest
{
    public string? Body { get; init; }
    public Dictionary<string, string>? MessageAttributes { get; init; }
    public int? DelaySeconds { get; init; }
    public List<SendMessageRequest>? Messages { get; init; }
}
