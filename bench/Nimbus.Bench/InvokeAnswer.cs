namespace Nimbus.Bench;

/// <summary>One invocation as the client saw it.</summary>
public sealed record InvokeAnswer(int Status, double ElapsedMs, bool ColdStart, double? InitDurationMs, string? FunctionError, string Body);
