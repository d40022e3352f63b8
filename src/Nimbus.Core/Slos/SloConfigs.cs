using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Slos;

/// <summary>Turns a function's declared <see cref="SloConfig"/>s into <see cref="SloDefinition"/>s, reporting problems
/// under <c>slos[i].field</c>. Pure.</summary>
public static class SloConfigs
{
    /// <summary>Every objective of the function: those it declares, then the default one (<see cref="DefaultSlo"/>)
    /// unless it is off or declared. Invalid entries are left out (the validator refused them when saved).</summary>
    public static IReadOnlyList<SloDefinition> AllFor(FunctionConfig function)
    {
        var errors = new List<ValidationError>();
        return Effective(function).Select(e => ToDefinition(function.Name, e.Config, e.Field, errors)).OfType<SloDefinition>().ToList();
    }

    /// <summary>The objectives' configurations with the field each is reported under (<c>slos[1]</c>, <c>defaultSlo</c>).</summary>
    public static IReadOnlyList<(SloConfig Config, string Field)> Effective(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var configs = (function.Slos ?? []).Select((s, i) => (s, $"slos[{i}]")).Where(e => e.s is not null).ToList();
        if (DefaultSlo.For(function) is { } standard)
        {
            configs.Add((standard, DefaultSlo.Field));
        }

        return configs;
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

        if (DefaultSlo.For(function) is { } standard)
        {
            ToDefinition(function.Name, standard, DefaultSlo.Field, errors);
        }
        else if (function.DefaultSlo is { Enabled: not false } change
                 && (change.Objective is not null || change.Window is not null || change.Notify is not null))
        {
            errors.Add(new(DefaultSlo.Field, $"tunes the default objective, but slos declares '{DefaultSlo.Name}' itself: tune that one instead"));
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
