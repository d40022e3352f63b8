namespace Nimbus.Core.Alarms;

/// <summary>One period of an evaluation: its start, its value (null when missing) and how it counted.</summary>
public sealed record EvaluatedDatapoint(DateTimeOffset PeriodStart, double? Value, DatapointVerdict Verdict);
