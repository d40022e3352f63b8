using System.Threading.Channels;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// The copies waiting for the <see cref="ShadowRunner"/>: bounded, so a shadow that cannot keep up costs dropped
/// copies (counted in its report), never a caller's time or the server's memory.
/// </summary>
public sealed class ShadowQueue
{
    public const int Capacity = 256;

    private readonly Channel<ShadowCopy> _channel = Channel.CreateBounded<ShadowCopy>(new BoundedChannelOptions(Capacity)
    {
        // Wait mode, used only through TryWrite: a full queue refuses the copy at once instead of silently replacing one.
        FullMode = BoundedChannelFullMode.Wait,
        SingleWriter = false,
        SingleReader = false,
    });

    private readonly ShadowReports _reports;

    public ShadowQueue(ShadowReports reports) => _reports = reports;

    public ChannelReader<ShadowCopy> Reader => _channel.Reader;

    /// <summary>Queues a copy without waiting; a full queue drops it. Either way the report counts it.</summary>
    public bool Offer(ShadowCopy copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var tally = _reports.For(copy.Route.DeploymentId);
        tally.Mirrored();
        if (_channel.Writer.TryWrite(copy))
        {
            return true;
        }

        tally.Dropped();
        return false;
    }
}
