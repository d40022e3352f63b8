namespace Nimbus.Bench;

/// <summary>One function of the cpi section: its throughput at 32 connections and the processes that served it, and
/// which generator drove it (wrk, or the harness's own where wrk is not installed), with the CPU each invoke cost.</summary>
public sealed record CpiRow(string System, int ConcurrencyPerInstance, double RequestsPerSecond, LatencyStats Latency, int Processes, long Failed, string Generator)
{
    /// <summary>How long the load ran before the measured run (wrk: until two chunks' rates were within 5 %).</summary>
    public double WarmUpSeconds { get; init; }

    public IReadOnlyList<double> WarmUpRates { get; init; } = [];
    public double? ServerCpuUsPerInvoke { get; init; }
    public double? WorkerCpuUsPerInvoke { get; init; }
}
