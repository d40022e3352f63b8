namespace Nimbus.Core.Routing;

/// <summary>Splits alias traffic at random: each invocation independently, in proportion to the weights.</summary>
public sealed class RandomTrafficSampler : ITrafficSampler
{
    public static RandomTrafficSampler Instance { get; } = new();

    public double Next() => Random.Shared.NextDouble();
}
