using Nimbus.Core.Functions;

namespace Nimbus.Core.Alarms;

/// <summary>Checks an <see cref="AlarmDefinition"/> against CloudWatch's rules, reporting every problem. Pure.</summary>
public static class AlarmDefinitionValidator
{
    public const int MaxNameLength = 255;

    /// <summary>The longest look-back (period × evaluation periods), as CloudWatch allows for sub-hour periods.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(1);

    public static IReadOnlyList<ValidationError> Validate(AlarmDefinition alarm)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(alarm.Name) || alarm.Name.Length > MaxNameLength
            || !alarm.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("name", $"must be 1 to {MaxNameLength} letters, digits, '-', '_' or '.'"));
        }

        if (string.IsNullOrWhiteSpace(alarm.Dimensions.Function))
        {
            errors.Add(new("function", "is required"));
        }

        if (alarm.Dimensions is { Version: not null, Alias: not null })
        {
            errors.Add(new("dimensions", "give a version or an alias, not both"));
        }

        if (string.IsNullOrWhiteSpace(alarm.Metric.Name) || alarm.Metric.DividedBy is { Length: 0 })
        {
            errors.Add(new("metric", "is required"));
        }

        if (alarm.Metric.IsRate && alarm.Statistic != AlarmStatistic.Sum)
        {
            errors.Add(new("statistic", "a rate of two metrics divides their Sums: use Sum"));
        }

        if (!IsValidPeriod(alarm.Period))
        {
            errors.Add(new("period", "must be 10s, 20s, 30s or a whole number of minutes"));
        }

        if (alarm.EvaluationPeriods < 1)
        {
            errors.Add(new("evaluationPeriods", "must be at least 1"));
        }
        else if (IsValidPeriod(alarm.Period) && alarm.Range > MaxRange)
        {
            errors.Add(new("evaluationPeriods", $"period × evaluationPeriods must be at most {MaxRange.TotalHours:0} hours"));
        }

        if (alarm.DatapointsToAlarm < 1 || alarm.DatapointsToAlarm > alarm.EvaluationPeriods)
        {
            errors.Add(new("datapointsToAlarm", "must be from 1 to evaluationPeriods"));
        }

        if (!double.IsFinite(alarm.Threshold))
        {
            errors.Add(new("threshold", "must be a finite number"));
        }

        if (!Enum.IsDefined(alarm.Comparison))
        {
            errors.Add(new("comparison", "is not a comparison operator"));
        }

        if (!Enum.IsDefined(alarm.TreatMissingData))
        {
            errors.Add(new("treatMissingData", "must be missing, notBreaching, breaching or ignore"));
        }

        return errors;
    }

    /// <summary>10, 20 and 30 seconds (high resolution) or whole minutes, like CloudWatch.</summary>
    public static bool IsValidPeriod(TimeSpan period) =>
        period == TimeSpan.FromSeconds(10) || period == TimeSpan.FromSeconds(20) || period == TimeSpan.FromSeconds(30)
        || (period >= TimeSpan.FromMinutes(1) && period.Ticks % TimeSpan.TicksPerMinute == 0);
}
