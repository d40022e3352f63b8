using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Slos;

/// <summary>Turns a function's declared <see cref="SloConfig"/>s into <see cref="SloDefinition"/>s, reporting problems
/// under <c>slos[i].field</c>. Pure.</summary>
public static class SloConfigs
{
    public static IReadOnlyList<SloDefinition> AllFor(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var errors = new List<ValidationError>();
        return (function.Slos ?? []).Select((s, i) => ToDefinition(function.Name, s, $"slos[{i}]", errors)).OfType<SloDefinition>().ToList();
    }

    public static IReadOnlyList<ValidationError> Validate(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var errors = new List<ValidationError>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var slos = function.Slos ?? [];
        for (var i = 0; i < slos.Count; i++)
        {
            if (slos[i] is null)
            {
                errors.Add(new($"slos[{i}]", "must be an objective, not null"));
                continue;
            }

            ToDefinition(function.Name, slos[i], $"slos[{i}]", errors);
            if (slos[i].Name is { } name && !names.Add(name))
            {
                errors.Add(new($"slos[{i}].name", $"'{name}' is already the name of another objective of this function"));
            }
        }

        return errors;
    }

    public static SloDefinition? ToDefinition(string function, SloConfig config, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (config.Name is null)
        {
            errors.Add(new($"{field}.name", "is required"));
        }

        if (config.Objective is null)
        {
            errors.Add(new($"{field}.objective", "is required: the percentage of good invocations, e.g. 99.9"));
        }

        var window = SloDefinition.DefaultWindow;
        if (config.Window is not null && !MonitoringDuration.TryParse(config.Window, out window))
        {
            errors.Add(new($"{field}.window", $"must be a duration like 30d or 7d, was '{config.Window}'"));
            window = SloDefinition.DefaultWindow;
        }

        TimeSpan? latency = null;
        if (config.Latency is not null)
        {
            if (MonitoringDuration.TryParse(config.Latency, out var parsed))
            {
                latency = parsed;
            }
            else
            {
                errors.Add(new($"{field}.latency", $"must be a duration like 300ms or 1s, was '{config.Latency}'"));
            }
        }

        var definition = new SloDefinition(config.Name ?? "", function, config.Latency is null ? SloKind.Availability : SloKind.Latency, config.Objective ?? 99)
        {
            Alias = config.Alias,
            LatencyThreshold = latency,
            Window = window,
        };
        var notify = config.Notify ?? [];
        for (var i = 0; i < notify.Count; i++)
        {
            if (!NotificationTarget.TryParse(notify[i], out _, out var targetError))
            {
                errors.Add(new($"{field}.notify[{i}]", targetError!));
            }
        }

        var reported = errors.Skip(before).Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        foreach (var error in SloDefinitionValidator.Validate(definition))
        {
            if (!reported.Contains($"{field}.{error.Field}"))
            {
                errors.Add(new($"{field}.{error.Field}", error.Message));
            }
        }

        return errors.Count > before ? null : definition;
    }
}
