namespace Nimbus.Bench;

/// <summary>Nimbus answered a management call with something other than success; the message carries its answer.</summary>
public sealed class NimbusApiException(string message) : Exception(message);
