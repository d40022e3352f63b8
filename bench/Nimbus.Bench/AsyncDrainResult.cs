namespace Nimbus.Bench;

/// <summary>The accept-to-ack figure: how long <see cref="Events"/> events took to be accepted, and to have all run.</summary>
public sealed record AsyncDrainResult(string Runtime, int Events, double AcceptSeconds, double TotalSeconds)
{
    public double EventsPerSecond => TotalSeconds > 0 ? Events / TotalSeconds : 0;
}
