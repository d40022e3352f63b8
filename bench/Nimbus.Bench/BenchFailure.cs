namespace Nimbus.Bench;

/// <summary>A section of the benchmark cannot run; the message tells the user why and what to do.</summary>
public sealed class BenchFailure(string message) : Exception(message);
