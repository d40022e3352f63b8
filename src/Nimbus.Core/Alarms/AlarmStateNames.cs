namespace Nimbus.Core.Alarms;

/// <summary>The wire names of <see cref="AlarmState"/>, as CloudWatch spells them.</summary>
public static class AlarmStateNames
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    public const string InsufficientData = "INSUFFICIENT_DATA";

    public static string ToName(AlarmState state) => state switch
    {
        AlarmState.Ok => Ok,
        AlarmState.Alarm => Alarm,
        _ => InsufficientData,
    };

    public static bool TryParse(string? text, out AlarmState state)
    {
        switch (text)
        {
            case Ok:
                state = AlarmState.Ok;
                return true;
            case Alarm:
                state = AlarmState.Alarm;
                return true;
            case InsufficientData:
                state = AlarmState.InsufficientData;
                return true;
            default:
                state = AlarmState.InsufficientData;
                return false;
        }
    }
}
