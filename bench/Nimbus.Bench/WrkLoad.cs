namespace Nimbus.Bench;

/// <summary>One measured wrk run after a warm-up that lasted until the rate was steady, and its cost per invoke.</summary>
/// <param name="WarmUpRates">Requests per second of each warm-up chunk, in order.</param>
public sealed record WrkLoad(WrkResult Result, IReadOnlyList<double> WarmUpRates, double WarmUpSeconds)
{
    public double? ServerCpuUsPerInvoke { get; init; }
    public double? WorkerCpuUsPerInvoke { get; init; }
}
