using Nimbus.Core.Alarms;
using Nimbus.Core.Slos;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary>
/// Keeps the alarm store in step with the functions' configurations: every function's default alarms (as its
/// <c>defaultAlarms</c> tunes them) and its declared <c>alarms</c>; an alarm no longer declared, or of a deleted
/// function, is removed with its history. A changed definition keeps the alarm's state. Called when a function is
/// put or deleted (so <c>alarms list</c> right after a deploy shows them) and on every evaluation pass.
/// </summary>
public sealed class AlarmSync(SqliteAlarmStore alarms, INimbusStore store)
{
    public async Task SyncAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var functions = await store.ListFunctionsAsync(cancellationToken).ConfigureAwait(false);
        var existing = await alarms.ListAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var function in functions)
        {
            await ApplyAsync(function.Config, existing.Where(a => a.Definition.Dimensions.Function == function.Name).ToList(), now, cancellationToken).ConfigureAwait(false);
        }

        var names = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in existing.Where(a => !names.Contains(a.Definition.Dimensions.Function)))
        {
            await alarms.DeleteAsync(orphan.Definition.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SyncFunctionAsync(string function, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await alarms.ListAsync(function, cancellationToken).ConfigureAwait(false);
        if (await store.GetFunctionAsync(function, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            foreach (var alarm in existing)
            {
                await alarms.DeleteAsync(alarm.Definition.Name, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await ApplyAsync(record.Config, existing, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(Core.Functions.FunctionConfig config, IReadOnlyList<AlarmRecord> existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = existing.ToDictionary(a => a.Definition.Name, StringComparer.Ordinal);
        var defaults = DefaultAlarmKeys.All.Select(k => DefaultAlarmKeys.AlarmName(config.Name, k)).ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alarm in AlarmConfigs.AllFor(config))
        {
            wanted.Add(alarm.Name);
            var isDefault = defaults.Contains(alarm.Name) || SloAlarms.Parse(alarm.Metric) is not null;
            if (!stored.TryGetValue(alarm.Name, out var current) || !current.Definition.SameAs(alarm) || current.IsDefault != isDefault)
            {
                await alarms.UpsertAsync(alarm, isDefault, now, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var name in stored.Keys.Where(n => !wanted.Contains(n)))
        {
            await alarms.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}
