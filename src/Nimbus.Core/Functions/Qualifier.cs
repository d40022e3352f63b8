namespace Nimbus.Core.Functions;

/// <summary>Parses <c>name</c>, <c>name:3</c>, <c>name:live</c>, <c>name:$LATEST</c>.</summary>
public static class Qualifier
{
    public const string Latest = "$LATEST";

    public static (string Name, string? Qualifier) Split(string target)
    {
        var colon = target.IndexOf(':');
        return colon < 0 ? (target, null) : (target[..colon], target[(colon + 1)..]);
    }

    public static bool IsVersionNumber(string qualifier, out int version) =>
        int.TryParse(qualifier, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) && version > 0;
}
