using System.Text.Json;
using Nimbus.Core.Functions;

namespace Nimbus.Core.Schedules;

/// <summary>Checks a function's schedules. Pure; field names are the API's (<c>schedules[0].expression</c>).</summary>
public static class ScheduleConfigValidator
{
    public const int MaxSchedules = 20;
    public const int MaxInputBytes = 8192;

    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<ScheduleConfig>? schedules)
    {
        var errors = new List<ValidationError>();
        if (schedules is null)
        {
            return errors;
        }

        if (schedules.Count > MaxSchedules)
        {
            errors.Add(new("schedules", $"has {schedules.Count} schedules; at most {MaxSchedules} are allowed"));
        }

        for (var i = 0; i < schedules.Count; i++)
        {
            var field = $"schedules[{i}]";
            if (schedules[i] is not { } schedule)
            {
                errors.Add(new(field, "must be an object with an expression"));
                continue;
            }

            if (!ScheduleExpression.TryParse(schedule.Expression, out _, out var expressionError))
            {
                errors.Add(new($"{field}.expression", expressionError));
            }

            if (schedule.Timezone is not null && !ScheduleTimeZone.TryFind(schedule.Timezone, out _, out var zoneError))
            {
                errors.Add(new($"{field}.timezone", zoneError));
            }

            if (schedule.Missed is not (null or "once" or "skip"))
            {
                errors.Add(new($"{field}.missed", $"must be 'once' or 'skip', was '{schedule.Missed}'"));
            }

            if (schedule.Input is { } input)
            {
                if (System.Text.Encoding.UTF8.GetByteCount(input) > MaxInputBytes)
                {
                    errors.Add(new($"{field}.input", $"must be at most {MaxInputBytes} bytes of JSON"));
                }
                else if (!IsJson(input))
                {
                    errors.Add(new($"{field}.input", "must be JSON text (an object, array, string, number, true, false or null)"));
                }
            }
        }

        return errors;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
