using System.Globalization;

namespace Nimbus.Core.Alarms;

/// <summary>The statistic an alarm compares: Sum, Average, Minimum, Maximum, SampleCount or a percentile pNN(.N).</summary>
public readonly record struct AlarmStatistic(string Name, double? Percentile)
{
    public static readonly AlarmStatistic Sum = new("Sum", null);
    public static readonly AlarmStatistic Average = new("Average", null);
    public static readonly AlarmStatistic Minimum = new("Minimum", null);
    public static readonly AlarmStatistic Maximum = new("Maximum", null);
    public static readonly AlarmStatistic SampleCount = new("SampleCount", null);

    public bool IsPercentile => Percentile is not null;

    /// <summary>Parses a statistic name: the five named ones (case-insensitive) or <c>p</c> and a percentile in (0, 100].</summary>
    public static bool TryParse(string? text, out AlarmStatistic statistic)
    {
        statistic = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var known in new[] { Sum, Average, Minimum, Maximum, SampleCount })
        {
            if (string.Equals(text, known.Name, StringComparison.OrdinalIgnoreCase))
            {
                statistic = known;
                return true;
            }
        }

        if (text.Length > 1 && text[0] is 'p' or 'P'
            && double.TryParse(text.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)
            && p is > 0 and <= 100)
        {
            statistic = new AlarmStatistic("p" + p.ToString(CultureInfo.InvariantCulture), p);
            return true;
        }

        return false;
    }

    public override string ToString() => Name;
}
