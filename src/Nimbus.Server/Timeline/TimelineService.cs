using Nimbus.Core.Timeline;

namespace Nimbus.Server.Timeline;

/// <summary>Reads every registered <see cref="ITimelineSource"/> and interleaves them (<see cref="TimelineMerge"/>).</summary>
public sealed class TimelineService(IEnumerable<ITimelineSource> sources)
{
    private readonly IReadOnlyList<ITimelineSource> _sources = [.. sources];

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var read = new List<IReadOnlyList<TimelineEvent>>(_sources.Count);
        foreach (var source in _sources)
        {
            read.Add(await source.ReadAsync(function, since, limit, cancellationToken).ConfigureAwait(false));
        }

        return TimelineMerge.Merge(read, since, limit);
    }
}
