namespace Nimbus.Core.Telemetry;

/// <summary>What one telemetry table holds now: its rows and the bytes they and their indexes take in the store.</summary>
public readonly record struct TableUsage(long Rows, long Bytes);
