namespace Nimbus.Core.Timeline;

/// <summary>Interleaves the events of every source into one timeline: newest first; at the same instant changes come
/// after what they caused would (so reading downwards, a change precedes the alarm it set off), then by source and
/// summary so the order is the same on every read. Pure.</summary>
public static class TimelineMerge
{
    public static IReadOnlyList<TimelineEvent> Merge(IEnumerable<IEnumerable<TimelineEvent>> sources, DateTimeOffset since, int limit) =>
        sources.SelectMany(s => s)
            .Where(e => e.Timestamp >= since)
            .OrderByDescending(e => e.Timestamp)
            .ThenBy(e => TimelineKinds.IsChange(e.Kind) ? 1 : 0)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.Summary, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
}
