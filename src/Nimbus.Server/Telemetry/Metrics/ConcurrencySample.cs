namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>How many instances of a function version were busy at one instant.</summary>
public readonly record struct ConcurrencySample(string Function, string Version, int Busy);
