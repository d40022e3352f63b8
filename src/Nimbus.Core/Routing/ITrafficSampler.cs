namespace Nimbus.Core.Routing;

/// <summary>
/// Draws the number in [0, 1) that decides which of a weighted alias's two versions serves an invocation
/// (see <see cref="RoutingSnapshot.Resolve"/>). A seam so that tests, and later an A/B key, decide the split
/// deterministically.
/// </summary>
public interface ITrafficSampler
{
    double Next();
}
