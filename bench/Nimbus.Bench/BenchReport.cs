namespace Nimbus.Bench;

/// <summary>Everything one run measured and how; serialized as the results JSON.</summary>
public sealed class BenchReport
{
    public string Timestamp { get; init; } = "";
    public string RerunCommand { get; init; } = "";
    public required MachineInfo Machine { get; init; }
    public string CpuPlan { get; init; } = "";
    public required BenchSettings Settings { get; init; }
    public string Payload { get; init; } = "";
    public double LoadAverageAtEnd { get; set; }

    /// <summary>CPU that processes outside the benchmark's tree used on its cores, in cores on average over the run (null without /proc).</summary>
    public double? ForeignCpuCores { get; set; }
    public string? NimbusCommand { get; set; }
    public string? BaselineCommand { get; set; }
    public Dictionary<string, string> Workers { get; } = [];
    public List<WarmPoint> Warm { get; } = [];
    public List<WarmRatio> Ratios { get; } = [];
    public List<WrkRow> Wrk { get; } = [];

    /// <summary>The operations layer's telemetry against <c>--no-telemetry</c> in the wrk rows of this run.</summary>
    public TelemetryCost? WrkTelemetryCost => TelemetryCost.From(Wrk);

    /// <summary>Several invocations per instance: req/s and processes at 32 connections (section cpi).</summary>
    public List<CpiRow> Cpi { get; } = [];
    public List<ColdStartResult> ColdStarts { get; } = [];
    public List<MemoryResult> Memory { get; } = [];

    /// <summary>Events/s from acceptance to ack with a trivial function (the 202 figures are in <see cref="Warm"/>).</summary>
    public List<AsyncDrainResult> AsyncDrain { get; } = [];
    public List<string> Notes { get; } = [];
    public List<string> Errors { get; } = [];
}
