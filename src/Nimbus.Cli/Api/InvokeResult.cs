namespace Nimbus.Cli.Api;

/// <summary>A synchronous invocation as the invoke endpoint answered it.</summary>
/// <param name="FunctionError">The <c>X-Nimbus-Function-Error</c> value (e.g. <c>Unhandled</c>) when the function failed; the payload is then Lambda's error JSON.</param>
internal sealed record InvokeResult(
    byte[] Payload,
    string? RequestId,
    string? ExecutedVersion,
    bool ColdStart,
    double? InitDurationMs,
    double? DurationMs,
    string? FunctionError);
