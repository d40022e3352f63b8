namespace Nimbus.Core.Api;

/// <summary>Response headers of the native invoke endpoint.</summary>
public static class NimbusHeaders
{
    public const string RequestId = "X-Nimbus-Request-Id";
    public const string ExecutedVersion = "X-Nimbus-Executed-Version";
    public const string FunctionError = "X-Nimbus-Function-Error";
    public const string ColdStart = "X-Nimbus-Cold-Start";
    public const string InitDuration = "X-Nimbus-Init-Duration-Ms";
    public const string Duration = "X-Nimbus-Duration-Ms";

    /// <summary>On an idempotent replay: the request id of the invocation whose stored response this is.</summary>
    public const string IdempotentReplay = "X-Nimbus-Idempotent-Replay";
}
