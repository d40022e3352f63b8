using System.Diagnostics.CodeAnalysis;

namespace Nimbus.Core.Schedules;

/// <summary>IANA time zones for schedules (<c>Europe/Paris</c>); none given means UTC.</summary>
public static class ScheduleTimeZone
{
    public static bool TryFind(string? name, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(name) || name == "UTC")
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            error = $"'{name}' is not a known IANA time zone (as in Europe/Paris or America/New_York)";
            return false;
        }
    }
}
