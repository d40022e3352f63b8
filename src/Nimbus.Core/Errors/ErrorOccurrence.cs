namespace Nimbus.Core.Errors;

/// <summary>
/// Errors of one group and one version seen since the last drain: what the store merges into the group (counts add,
/// first seen keeps the earliest, last seen and the sample follow the latest).
/// </summary>
public sealed record ErrorOccurrence(
    string FunctionName,
    string Fingerprint,
    string ErrorType,
    string Message,
    IReadOnlyList<string> StackTrace,
    string Version,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string SampleRequestId,
    string? SampleTraceId);
