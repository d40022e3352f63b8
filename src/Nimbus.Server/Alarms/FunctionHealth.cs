using Nimbus.Core.Api;
using Nimbus.Core.Deployments;

namespace Nimbus.Server.Alarms;

/// <summary>
/// The one answer a deployment gate needs about a function (and optionally one version of it): which of its alarms are
/// in ALARM, and its objectives' budgets and burn rates. <see cref="Budget"/> is the tightest objective's (least
/// remaining, highest current burn), Unknown when it has none.
/// </summary>
public sealed record FunctionHealth(
    string Function,
    string? Version,
    IReadOnlyList<WatchedAlarm> Alarms,
    IReadOnlyList<SloStatus> Slos,
    BudgetObservation Budget)
{
    public bool AnyInAlarm => Alarms.Any(a => a.InAlarm);
}
