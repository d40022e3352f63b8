namespace Nimbus.Core.Slos;

/// <summary>One multiwindow burn-rate rule of the SRE workbook: fires when the burn rate over both
/// <see cref="LongWindow"/> and <see cref="ShortWindow"/> is at least <see cref="Threshold"/>. The long window makes it
/// significant; the short one makes it stop soon after the burning stops.</summary>
public sealed record BurnRateAlert(SloAlertSeverity Severity, double Threshold, TimeSpan LongWindow, TimeSpan ShortWindow)
{
    /// <summary>A rule whose short window is 1/12 of the long one, as the workbook recommends.</summary>
    public static BurnRateAlert Create(SloAlertSeverity severity, double threshold, TimeSpan longWindow) =>
        new(severity, threshold, longWindow, longWindow / 12);

    /// <summary>The name the rule's alarm carries: <c>page-1h</c>, <c>ticket-3d</c>.</summary>
    public string Name => $"{(Severity == SloAlertSeverity.Page ? "page" : "ticket")}-{Window(LongWindow)}";

    private static string Window(TimeSpan window) =>
        window.TotalDays >= 1 && window.Ticks % TimeSpan.TicksPerDay == 0 ? $"{window.TotalDays:0}d" : $"{window.TotalHours:0}h";
}
