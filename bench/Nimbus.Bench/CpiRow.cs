namespace Nimbus.Bench;

/// <summary>One function of the cpi section: its throughput at 32 connections and the processes that served it, and
/// which generator drove it (wrk, or the harness's own where wrk is not installed).</summary>
public sealed record CpiRow(string System, int ConcurrencyPerInstance, double RequestsPerSecond, LatencyStats Latency, int Processes, long Failed, string Generator);
