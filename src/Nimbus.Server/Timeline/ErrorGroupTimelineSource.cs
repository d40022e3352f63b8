using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>New error groups: the first time each kind of error was seen, and in which version.</summary>
public sealed class ErrorGroupTimelineSource(SqliteObservabilityStore observability, INimbusStore store) : ITimelineSource
{
    public const string Name = "errors";
    private const int GroupsPerFunction = 100;

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var names = function is not null ? [function] : (await store.ListFunctionsAsync(cancellationToken).ConfigureAwait(false)).Select(f => f.Name).ToList();
        var events = new List<TimelineEvent>();
        foreach (var name in names)
        {
            foreach (var group in await observability.ListErrorGroupsAsync(name, GroupsPerFunction, cancellationToken).ConfigureAwait(false))
            {
                if (group.FirstSeen >= since)
                {
                    events.Add(new(group.FirstSeen, name, TimelineKinds.ErrorGroupNew,
                        $"new error {group.ErrorType}: {Shorten(group.Message)} (first in version {group.FirstVersion})", null, Name));
                }
            }
        }

        return events;
    }

    private static string Shorten(string message) => message.Length <= 120 ? message : message[..117] + "...";
}
