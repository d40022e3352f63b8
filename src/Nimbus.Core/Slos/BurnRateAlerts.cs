namespace Nimbus.Core.Slos;

/// <summary>The SRE workbook's recommended rules for a 30-day objective: page on 14.4× over 1 h (2 % of the budget) or
/// 6× over 6 h (5 %), ticket on 1× over 3 days (10 %); each with a short window of 1/12.</summary>
public static class BurnRateAlerts
{
    public static readonly IReadOnlyList<BurnRateAlert> Default =
    [
        BurnRateAlert.Create(SloAlertSeverity.Page, 14.4, TimeSpan.FromHours(1)),
        BurnRateAlert.Create(SloAlertSeverity.Page, 6, TimeSpan.FromHours(6)),
        BurnRateAlert.Create(SloAlertSeverity.Ticket, 1, TimeSpan.FromDays(3)),
    ];

    /// <summary>Every window the rules read, for a caller that gathers counts once per window.</summary>
    public static IReadOnlyList<TimeSpan> Windows(IEnumerable<BurnRateAlert> alerts) =>
        alerts.SelectMany(a => new[] { a.LongWindow, a.ShortWindow }).Distinct().Order().ToList();
}
