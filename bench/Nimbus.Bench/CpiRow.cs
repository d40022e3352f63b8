namespace Nimbus.Bench;

/// <summary>One function of the cpi section: its throughput at 32 connections and the processes that served it.</summary>
public sealed record CpiRow(string System, int ConcurrencyPerInstance, double RequestsPerSecond, LatencyStats Latency, int Processes, long Failed);
