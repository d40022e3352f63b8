using System.Globalization;
using Nimbus.Core.Timeline;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Timeline;

/// <summary>
/// The changes the control plane's tables remember: when each function was created and last reconfigured, each version
/// published, each alias last moved. The tables keep current state, not a log, so an earlier configuration change
/// overwritten by a later one is not here; the audit log (a separate source) records every action.
/// </summary>
public sealed class ControlPlaneTimelineSource(INimbusStore store) : ITimelineSource
{
    public const string Name = "control-plane";

    public async Task<IReadOnlyList<TimelineEvent>> ReadAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var functions = function is null
            ? await store.ListFunctionsAsync(cancellationToken).ConfigureAwait(false)
            : await store.GetFunctionAsync(function, cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
        var events = new List<TimelineEvent>();
        foreach (var record in functions)
        {
            var name = record.Name;
            events.Add(new(record.CreatedAt, name, TimelineKinds.FunctionCreated, $"function {name} created", null, Name));
            if (record.UpdatedAt > record.CreatedAt)
            {
                var code = record.CodeSha256 is { } sha ? $", code {sha[..Math.Min(12, sha.Length)]}" : "";
                events.Add(new(record.UpdatedAt, name, TimelineKinds.FunctionUpdated,
                    $"function {name} updated (revision {record.Revision.ToString(CultureInfo.InvariantCulture)}{code})", null, Name));
            }

            foreach (var version in await store.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                if (version.CreatedAt >= since)
                {
                    events.Add(new(version.CreatedAt, name, TimelineKinds.VersionPublished,
                        $"version {version.Number.ToString(CultureInfo.InvariantCulture)} published (code {version.CodeSha256[..Math.Min(12, version.CodeSha256.Length)]})", null, Name));
                }
            }

            foreach (var alias in await store.ListAliasesAsync(name, cancellationToken).ConfigureAwait(false))
            {
                var weights = alias.AdditionalVersion is { } extra
                    ? $" ({(alias.AdditionalWeight * 100).ToString("0.##", CultureInfo.InvariantCulture)}% to {extra.ToString(CultureInfo.InvariantCulture)})"
                    : "";
                events.Add(new(alias.UpdatedAt, name, TimelineKinds.AliasUpdated,
                    $"alias {alias.Name} -> {alias.Version.ToString(CultureInfo.InvariantCulture)}{weights}", null, Name));
            }
        }

        return events.Where(e => e.Timestamp >= since).OrderByDescending(e => e.Timestamp).Take(limit).ToList();
    }
}
