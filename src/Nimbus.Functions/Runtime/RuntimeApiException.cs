namespace Nimbus.Functions.Runtime;

/// <summary>The runtime API answered in a way this client cannot continue from.</summary>
internal sealed class RuntimeApiException(string message) : Exception(message);
