namespace Nimbus.Core.Invocations;

/// <summary>The errorType values the platform reports, following Lambda's names where Lambda has one.</summary>
public static class ErrorTypes
{
    public const string Timeout = "Sandbox.Timedout";
    public const string OutOfMemory = "Runtime.OutOfMemory";
    public const string ExitError = "Runtime.ExitError";
    public const string InitError = "Runtime.InitError";
    public const string Unknown = "Runtime.Unknown";
    public const string ResponseTooLarge = "Function.ResponseSizeTooLarge";
}
