namespace Nimbus.Bench;

/// <summary>A Nimbus figure over the same figure of the raw Kestrel baseline (latency: >1 is slower; req/s: &lt;1 is slower).</summary>
public sealed record WarmRatio(string Target, string Figure, double Nimbus, double Baseline)
{
    public double Ratio => Baseline > 0 ? Nimbus / Baseline : double.NaN;
}
