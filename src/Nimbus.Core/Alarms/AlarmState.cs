namespace Nimbus.Core.Alarms;

/// <summary>The three states of a CloudWatch-style alarm; on the wire <c>OK</c>, <c>ALARM</c>, <c>INSUFFICIENT_DATA</c>
/// (see <see cref="AlarmStateNames"/>).</summary>
public enum AlarmState
{
    InsufficientData,
    Ok,
    Alarm,
}
