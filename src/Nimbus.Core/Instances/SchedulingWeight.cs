namespace Nimbus.Core.Instances;

/// <summary>
/// The CPU weight an instance's process gets when it serves several invocations at once: the weight of that many
/// one-invocation processes, so that a shared instance is neither favoured nor starved against the processes it replaces
/// (docs/design/concurrency-per-instance.md, "CPU weight").
/// </summary>
/// <remarks>
/// Linux weighs a nice value n at 1024 / 1.25^n (each step about 10 % of CPU between two busy tasks), from nice 19 to -20.
/// </remarks>
public static class SchedulingWeight
{
    /// <summary>The ratio of the weights of two consecutive nice values.</summary>
    public const double StepRatio = 1.25;

    public const int MostFavourable = -20;

    /// <summary>
    /// The nice value whose weight is closest to <paramref name="slots"/> times a default process's: 0 for one slot, -3
    /// for 2, -12 for 16, -19 for 64.
    /// </summary>
    public static int NiceFor(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        var steps = (int)Math.Round(Math.Log(slots) / Math.Log(StepRatio), MidpointRounding.AwayFromZero);
        return Math.Max(MostFavourable, -steps);
    }

    /// <summary>The weight of <paramref name="nice"/> relative to nice 0's.</summary>
    public static double RelativeWeight(int nice) => Math.Pow(StepRatio, -nice);
}
