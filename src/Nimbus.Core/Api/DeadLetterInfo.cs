using Nimbus.Core.Events;

namespace Nimbus.Core.Api;

/// <summary>A dead letter as the management API shows it.</summary>
/// <param name="Payload">The event as UTF-8 text.</param>
/// <param name="Logs">Where the attempts' log lines are (all attempts share the request id).</param>
public sealed record DeadLetterInfo(
    string Id,
    string FunctionName,
    string? Qualifier,
    string RequestId,
    string? TraceId,
    string Condition,
    string? ErrorType,
    string? ErrorMessage,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DeadLetteredAt,
    int Redrives,
    string Payload,
    string Logs,
    IReadOnlyList<AsyncAttempt> Attempts)
{
    public static DeadLetterInfo From(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return new(letter.Id, letter.FunctionName, letter.Qualifier, letter.RequestId, letter.TraceId, letter.Condition, letter.ErrorType,
            letter.ErrorMessage, letter.EnqueuedAt, letter.DeadLetteredAt, letter.Redrives, System.Text.Encoding.UTF8.GetString(letter.Payload.Span),
            $"/api/v1/functions/{Uri.EscapeDataString(letter.FunctionName)}/logs?requestId={Uri.EscapeDataString(letter.RequestId)}",
            letter.Attempts);
    }
}
