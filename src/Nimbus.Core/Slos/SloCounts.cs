namespace Nimbus.Core.Slos;

/// <summary>Good and total invocations over some window.</summary>
public readonly record struct SloCounts(long Good, long Total)
{
    public long Bad => Total - Good;

    /// <summary>Bad / total; 0 when nothing ran.</summary>
    public double ErrorRatio => Total == 0 ? 0 : (double)Bad / Total;
}
