namespace Nimbus.Core.Slos;

/// <summary>What makes an invocation good: it succeeded (availability) or it finished under a duration (latency).</summary>
public enum SloKind
{
    Availability,
    Latency,
}
