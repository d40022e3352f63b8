namespace Nimbus.Core.Alarms;

/// <summary>The result of one evaluation: the state the alarm should be in, why, and the periods it looked at
/// (newest first).</summary>
public sealed record AlarmEvaluation(AlarmState State, string Reason, IReadOnlyList<EvaluatedDatapoint> Datapoints);
