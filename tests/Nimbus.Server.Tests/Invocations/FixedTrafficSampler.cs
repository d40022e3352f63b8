using Nimbus.Core.Routing;

namespace Nimbus.Server.Tests.Invocations;

/// <summary>Always draws the same number, so a weighted alias always picks the same version.</summary>
public sealed class FixedTrafficSampler(double value) : ITrafficSampler
{
    public double Value { get; set; } = value;

    public double Next() => Value;
}
