namespace Nimbus.Core.Alarms;

/// <summary>How a datapoint is compared with the threshold; a datapoint that satisfies it is breaching.</summary>
public enum ComparisonOperator
{
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}
