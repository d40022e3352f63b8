namespace Nimbus.Core.Events;

/// <summary>One attempt at an async event, as kept in its history and in its dead letter.</summary>
/// <param name="Number">1 for the first attempt, counting postponed ones too.</param>
/// <param name="ErrorMessage">At most <see cref="MaxErrorMessageLength"/> characters.</param>
public sealed record AsyncAttempt(
    int Number,
    DateTimeOffset StartedAt,
    AsyncAttemptOutcome Outcome,
    string RequestId,
    string? ExecutedVersion,
    string? ErrorType,
    string? ErrorMessage,
    double DurationMs)
{
    public const int MaxErrorMessageLength = 1024;

    /// <summary>The message cut to the first 1 KB, as the dead letter keeps it.</summary>
    public static string? Truncate(string? message) =>
        message is { Length: > MaxErrorMessageLength } ? message[..MaxErrorMessageLength] : message;
}
