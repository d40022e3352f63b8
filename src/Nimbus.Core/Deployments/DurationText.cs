using System.Globalization;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Deployments;

/// <summary>Durations and percentages as deployments write them: <c>30s</c>, <c>5m</c>, <c>1h</c>.</summary>
internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration, out string? error) =>
        TimeExpression.TryParseDuration(text, out duration, out error);

    public static string Format(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerHour == 0 && duration >= TimeSpan.FromHours(1))
        {
            return $"{(long)duration.TotalHours}h";
        }

        if (duration.Ticks % TimeSpan.TicksPerMinute == 0 && duration >= TimeSpan.FromMinutes(1))
        {
            return $"{(long)duration.TotalMinutes}m";
        }

        return $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
    }

    public static string Format(double percent) => percent.ToString(CultureInfo.InvariantCulture);
}
