namespace Nimbus.Bench;

/// <summary>The sample sizes a report was made with, in plain numbers for the JSON.</summary>
public sealed record BenchSettings(
    bool Quick,
    double DurationSeconds,
    double WarmUpSeconds,
    long Requests,
    int[] Concurrency,
    int ColdSamples,
    string ColdMethod,
    int MemoryInstances)
{
    public static BenchSettings From(BenchOptions o) => new(
        o.Quick, o.Duration.TotalSeconds, o.WarmUp.TotalSeconds, o.Requests, o.Concurrency, o.ColdSamples, o.ColdMethod, o.MemoryInstances);
}
