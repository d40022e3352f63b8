namespace Nimbus.Core.Alarms;

/// <summary>
/// What an alarm watches: one stored metric (<see cref="Name"/>, optionally one of its dimensions such as
/// <c>errorType=Error</c>), or — when <see cref="DividedBy"/> is set — the rate of two metrics, per period
/// <c>Scale × statistic(Name) / statistic(DividedBy)</c> (CloudWatch metric math <c>100 * errors / invocations</c>).
/// A rate period whose denominator is missing or zero is missing: no invocations means no error rate, not 0 %.
/// </summary>
public sealed record AlarmMetric(string Name, string? Dimension = null, string? DividedBy = null, double Scale = 1)
{
    public bool IsRate => DividedBy is not null;

    public static AlarmMetric Single(string name, string? dimension = null) => new(name, dimension);

    /// <summary>A percentage rate: <c>100 × numerator / denominator</c>.</summary>
    public static AlarmMetric Percent(string numerator, string denominator) => new(numerator, null, denominator, 100);

    /// <summary>How the metric reads in a reason or a listing: <c>errors</c>, or <c>100 * errors / invocations</c>.</summary>
    public override string ToString()
    {
        var name = Dimension is null ? Name : $"{Name}{{{Dimension}}}";
        if (DividedBy is null)
        {
            return name;
        }

        return Scale == 1 ? $"{name} / {DividedBy}" : $"{AlarmReasonText.Number(Scale)} * {name} / {DividedBy}";
    }
}
