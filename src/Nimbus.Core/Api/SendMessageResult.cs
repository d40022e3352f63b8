namespace Nimbus.Core.Api;

/// <summary>
/// The answer to a send: the accepted messages (with their ids and SQS's <c>md5OfBody</c>) and the refused ones, each by
/// its index in the request (0 for a single message).
/// </summary>
public sealed record SendMessageResult(IReadOnlyList<SentMessage> Successful, IReadOnlyList<FailedMessage> Failed);

public sealed record SentMessage(int Index, string MessageId, string Md5OfBody);

/// <param name="Code">QueueFull.</param>
public sealed record FailedMessage(int Index, string Code, string Message);
