namespace Nimbus.Core.Errors;

/// <summary>An error group as the API returns it. <see cref="FirstVersion"/> is the version it first appeared in ("new since").</summary>
public sealed record ErrorGroupInfo(
    long Id,
    string FunctionName,
    string Fingerprint,
    string ErrorType,
    string Message,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string FirstVersion,
    string? SampleRequestId,
    string? SampleTraceId,
    IReadOnlyList<string> StackTrace,
    IReadOnlyList<ErrorVersionCount> Versions);
