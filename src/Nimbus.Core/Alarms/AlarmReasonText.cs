using System.Globalization;

namespace Nimbus.Core.Alarms;

/// <summary>The wording of evaluation reasons, after CloudWatch's (<c>5.0 (01/12/26 20:00:00)</c>, dates dd/MM/yy UTC).</summary>
public static class AlarmReasonText
{
    public static string Number(double value) => value.ToString("0.0##########", CultureInfo.InvariantCulture);

    public static string Datapoint(EvaluatedDatapoint point) =>
        $"{Number(point.Value ?? 0)} ({point.PeriodStart.UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})";

    public static string Comparison(ComparisonOperator comparison) => comparison switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => "greater than or equal to",
        ComparisonOperator.GreaterThanThreshold => "greater than",
        ComparisonOperator.LessThanThreshold => "less than",
        _ => "less than or equal to",
    };

    public static string Plural(int count, string noun) => count == 1 ? $"{count} {noun}" : $"{count} {noun}s";
}
