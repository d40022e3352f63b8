using Nimbus.Core.Timeline;

namespace Nimbus.Server.Timeline;

/// <summary>
/// One kind of record the timeline reads (control-plane changes, deployments, alarm transitions, error groups; the
/// audit log plugs in as another). Register an implementation as <c>ITimelineSource</c> and
/// <see cref="TimelineService"/> interleaves it with the others.
/// </summary>
public interface ITimelineSource
{
    /// <summary>Events at or after <paramref name="since"/>, of one function or all (null); at most
    /// <paramref name="limit"/> of the newest, in any order.</summary>
    Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken);
}
