namespace Nimbus.Core.Alarms;

/// <summary>The manifest and wire names of <see cref="TreatMissingData"/>: <c>missing</c>, <c>notBreaching</c>,
/// <c>breaching</c>, <c>ignore</c>.</summary>
public static class TreatMissingDataNames
{
    public static string ToName(TreatMissingData treat) => treat switch
    {
        TreatMissingData.NotBreaching => "notBreaching",
        TreatMissingData.Breaching => "breaching",
        TreatMissingData.Ignore => "ignore",
        _ => "missing",
    };

    public static bool TryParse(string? text, out TreatMissingData treat)
    {
        foreach (var candidate in Enum.GetValues<TreatMissingData>())
        {
            if (string.Equals(text, ToName(candidate), StringComparison.Ordinal))
            {
                treat = candidate;
                return true;
            }
        }

        treat = TreatMissingData.Missing;
        return false;
    }
}
