using System.Globalization;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Alarms;

/// <summary>
/// Turns a function's declared <see cref="AlarmConfig"/>s and <see cref="DefaultAlarmConfig"/>s into alarm definitions,
/// reporting every problem under its field (<c>alarms[0].period</c>, <c>defaultAlarms.errorRate.threshold</c>) so the
/// API and the manifest report the same thing. Pure.
/// </summary>
public static class AlarmConfigs
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Every alarm a function has: its defaults (tuned or switched off by <c>defaultAlarms</c>) and its own.
    /// Invalid entries are left out (the validator refused them when the configuration was saved).</summary>
    public static IReadOnlyList<AlarmDefinition> AllFor(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var errors = new List<ValidationError>();
        var overrides = ToOverrides(function.DefaultAlarms, errors, out var actions);
        var alarms = DefaultAlarms.For(function, overrides).Select(a => WithActions(a, actions)).ToList();
        foreach (var (config, i) in (function.Alarms ?? []).Select((c, i) => (c, i)))
        {
            if (ToDefinition(function.Name, config, $"alarms[{i}]", errors) is { } alarm)
            {
                alarms.Add(alarm);
            }
        }

        foreach (var (config, field) in Slos.SloConfigs.Effective(function))
        {
            if (Slos.SloConfigs.ToDefinition(function.Name, config, field, errors) is { } slo)
            {
                alarms.AddRange(Slos.SloAlarms.For(slo, [.. config.Notify ?? []]));
            }
        }

        return alarms;
    }

    public static IReadOnlyList<ValidationError> Validate(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var errors = new List<ValidationError>();
        ToOverrides(function.DefaultAlarms, errors, out _);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in DefaultAlarmKeys.All)
        {
            names.Add(DefaultAlarmKeys.AlarmName(function.Name, key));
        }

        var alarms = function.Alarms ?? [];
        for (var i = 0; i < alarms.Count; i++)
        {
            if (alarms[i] is null)
            {
                errors.Add(new($"alarms[{i}]", "must be an alarm, not null"));
                continue;
            }

            ToDefinition(function.Name, alarms[i], $"alarms[{i}]", errors);
            if (alarms[i].Name is { } name && !names.Add(name))
            {
                errors.Add(new($"alarms[{i}].name", $"'{name}' is already the name of another alarm of this function"));
            }
        }

        return errors;
    }

    public static AlarmDefinition? ToDefinition(string function, AlarmConfig config, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var metric = AlarmMetric.Single("");
        if (config.Metric is null)
        {
            errors.Add(new($"{field}.metric", "is required: a metric name (errors, invocations, duration, …) or a rate (100 * errors / invocations)"));
        }
        else if (!AlarmMetricText.TryParse(config.Metric, out metric))
        {
            errors.Add(new($"{field}.metric", $"'{config.Metric}' is not a metric, a metric{{dimension=value}} or a rate like 100 * errors / invocations"));
        }

        var statistic = AlarmStatistic.Sum;
        if (config.Statistic is not null && !AlarmStatistic.TryParse(config.Statistic, out statistic))
        {
            errors.Add(new($"{field}.statistic", $"'{config.Statistic}' is not Sum, Average, Minimum, Maximum, SampleCount or a percentile like p99"));
        }

        var period = DefaultPeriod;
        if (config.Period is not null && (!MonitoringDuration.TryParse(config.Period, out period) || !AlarmDefinitionValidator.IsValidPeriod(period)))
        {
            errors.Add(new($"{field}.period", $"must be 10s, 20s, 30s or a whole number of minutes (1m, 5m), was '{config.Period}'"));
            period = DefaultPeriod;
        }

        var comparison = ComparisonOperator.GreaterThanOrEqualToThreshold;
        if (config.Comparison is null)
        {
            errors.Add(new($"{field}.comparison", $"is required: one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())}"));
        }
        else if (!Enum.TryParse(config.Comparison, ignoreCase: false, out comparison) || !Enum.IsDefined(comparison))
        {
            errors.Add(new($"{field}.comparison", $"'{config.Comparison}' is not one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())}"));
        }

        if (config.Threshold is null)
        {
            errors.Add(new($"{field}.threshold", "is required: the number each datapoint is compared with"));
        }

        var treat = TreatMissingData.Missing;
        if (config.TreatMissingData is not null && !TreatMissingDataNames.TryParse(config.TreatMissingData, out treat))
        {
            errors.Add(new($"{field}.treatMissingData", $"must be missing, notBreaching, breaching or ignore, was '{config.TreatMissingData}'"));
        }

        var notifyOn = ReadActions(config.Notify, config.NotifyOn, field, errors);
        var evaluationPeriods = config.EvaluationPeriods ?? 1;
        var definition = new AlarmDefinition(
            config.Name ?? "", new AlarmDimensions(function, config.Version, config.Alias), metric, statistic, period,
            evaluationPeriods, config.DatapointsToAlarm ?? evaluationPeriods, comparison, config.Threshold ?? 0, treat)
        {
            Description = config.Description ?? $"{statistic.Name} of {config.Metric} for {function} crossed {Number(config.Threshold ?? 0)}.",
            Notify = [.. config.Notify ?? []],
            NotifyOn = notifyOn,
            Runbook = string.IsNullOrWhiteSpace(config.Runbook) ? null : config.Runbook,
        };

        var reported = errors.Skip(before).Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        foreach (var error in AlarmDefinitionValidator.Validate(definition))
        {
            var at = error.Field switch
            {
                "dimensions" => $"{field}.version",
                "function" => field,
                var f => $"{field}.{f}",
            };
            if (!reported.Contains(at))
            {
                errors.Add(new(at, error.Message));
            }
        }

        return errors.Count > before ? null : definition;
    }

    /// <summary>The typed overrides of a <c>defaultAlarms</c> map, and each default's notify / runbook settings.</summary>
    public static IReadOnlyDictionary<string, DefaultAlarmOverride> ToOverrides(
        IReadOnlyDictionary<string, DefaultAlarmConfig>? configs, List<ValidationError> errors, out IReadOnlyDictionary<string, AlarmDefinition> actions)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var result = new Dictionary<string, DefaultAlarmOverride>(StringComparer.Ordinal);
        var actionsByName = new Dictionary<string, AlarmDefinition>(StringComparer.Ordinal);
        actions = actionsByName;
        foreach (var (key, config) in configs ?? new Dictionary<string, DefaultAlarmConfig>())
        {
            var field = $"defaultAlarms.{key}";
            if (!DefaultAlarmKeys.All.Contains(key))
            {
                errors.Add(new(field, $"is not a default alarm (one of {string.Join(", ", DefaultAlarmKeys.All)})"));
                continue;
            }

            if (config is null)
            {
                continue;
            }

            TimeSpan? period = null;
            if (config.Period is not null)
            {
                if (MonitoringDuration.TryParse(config.Period, out var parsed) && AlarmDefinitionValidator.IsValidPeriod(parsed))
                {
                    period = parsed;
                }
                else
                {
                    errors.Add(new($"{field}.period", $"must be 10s, 20s, 30s or a whole number of minutes (1m, 5m), was '{config.Period}'"));
                }
            }

            TreatMissingData? treat = null;
            if (config.TreatMissingData is not null)
            {
                if (TreatMissingDataNames.TryParse(config.TreatMissingData, out var parsed))
                {
                    treat = parsed;
                }
                else
                {
                    errors.Add(new($"{field}.treatMissingData", $"must be missing, notBreaching, breaching or ignore, was '{config.TreatMissingData}'"));
                }
            }

            if (config.EvaluationPeriods is < 1)
            {
                errors.Add(new($"{field}.evaluationPeriods", "must be a whole number of at least 1"));
            }

            if (config.DatapointsToAlarm is < 1 || config.DatapointsToAlarm > (config.EvaluationPeriods ?? int.MaxValue))
            {
                errors.Add(new($"{field}.datapointsToAlarm", "must be from 1 to evaluationPeriods"));
            }

            if (config.Threshold is { } t && !double.IsFinite(t))
            {
                errors.Add(new($"{field}.threshold", "must be a finite number"));
            }

            var notifyOn = ReadActions(config.Notify, config.NotifyOn, field, errors);
            result[key] = new DefaultAlarmOverride
            {
                Enabled = config.Enabled ?? true,
                Threshold = config.Threshold,
                Period = period,
                EvaluationPeriods = config.EvaluationPeriods,
                DatapointsToAlarm = config.DatapointsToAlarm,
                TreatMissingData = treat,
            };
            actionsByName[key] = new AlarmDefinition("", new AlarmDimensions(""), AlarmMetric.Single(""), AlarmStatistic.Sum, DefaultPeriod, 1, 1,
                ComparisonOperator.GreaterThanThreshold, 0)
            {
                Notify = [.. config.Notify ?? []],
                NotifyOn = notifyOn,
                Runbook = string.IsNullOrWhiteSpace(config.Runbook) ? null : config.Runbook,
            };
        }

        return result;
    }

    /// <summary>The API form of a manifest's typed override.</summary>
    public static DefaultAlarmConfig ToConfig(DefaultAlarmOverride change) => new()
    {
        Enabled = change.Enabled ? null : false,
        Threshold = change.Threshold,
        Period = change.Period is { } p ? MonitoringDuration.Format(p) : null,
        EvaluationPeriods = change.EvaluationPeriods,
        DatapointsToAlarm = change.DatapointsToAlarm,
        TreatMissingData = change.TreatMissingData is { } t ? TreatMissingDataNames.ToName(t) : null,
        Notify = change.Notify,
        NotifyOn = change.NotifyOn,
        Runbook = change.Runbook,
    };

    private static AlarmDefinition WithActions(AlarmDefinition alarm, IReadOnlyDictionary<string, AlarmDefinition> actions)
    {
        var key = DefaultAlarmKeys.All.FirstOrDefault(k => DefaultAlarmKeys.AlarmName(alarm.Dimensions.Function, k) == alarm.Name);
        return key is not null && actions.TryGetValue(key, out var a)
            ? alarm with { Notify = a.Notify, NotifyOn = a.NotifyOn, Runbook = a.Runbook }
            : alarm;
    }

    private static IReadOnlyList<AlarmState> ReadActions(IReadOnlyList<string>? notify, IReadOnlyList<string>? notifyOn, string field, List<ValidationError> errors)
    {
        var list = notify ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (!NotificationTarget.TryParse(list[i], out _, out var error))
            {
                errors.Add(new($"{field}.notify[{i}]", error!));
            }
        }

        if (notifyOn is null)
        {
            return NotificationPolicy.DefaultNotifyOn;
        }

        var states = new List<AlarmState>();
        for (var i = 0; i < notifyOn.Count; i++)
        {
            if (AlarmStateNames.TryParse(notifyOn[i], out var state))
            {
                states.Add(state);
            }
            else
            {
                errors.Add(new($"{field}.notifyOn[{i}]", $"must be ALARM, OK or INSUFFICIENT_DATA, was '{notifyOn[i]}'"));
            }
        }

        return states;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
