namespace Nimbus.Bench;

/// <summary>
/// Cold starts of one runtime, all in milliseconds. AddedCost = ClientColdInvoke − BareStartToResponse, per percentile:
/// what Nimbus adds on top of starting the same worker and having it answer its first event.
/// </summary>
public sealed record ColdStartResult(
    string Runtime,
    string Worker,
    string Method,
    int Samples,
    int ConfirmedCold,
    LatencyStats ClientColdInvoke,
    LatencyStats PlatformInitDuration,
    LatencyStats BareStartToFirstNext,
    LatencyStats BareStartToResponse,
    double AddedCostP50,
    double AddedCostP90,
    string BareLaunch,
    string BareLaunchSource,
    string? BareError)
{
    /// <summary>CPU time of the bare-started worker's process tree to its first response (see <see cref="BareStartBench.CpuToResponseMs"/>).</summary>
    public LatencyStats? BareCpuToResponse { get; init; }
}
