using Nimbus.Core.Functions;

namespace Nimbus.Core.Slos;

/// <summary>
/// The objective every function has with no configuration: <c>availability</c>, 99.9 % of invocations succeed over a
/// rolling 30 days (a budget of 43 minutes of full outage a month, the SRE workbook's worked example), with the three
/// burn-rate alarms of <see cref="SloAlarms"/>. <c>defaultSlo:</c> tunes it or switches it off, and an objective the
/// function declares under the same name replaces it. Pure.
/// </summary>
public static class DefaultSlo
{
    public const string Name = "availability";
    public const double Objective = 99.9;
    public const string Field = "defaultSlo";

    /// <summary>The default objective as the function tunes it, or null when it is off or declared by the function itself.</summary>
    public static SloConfig? For(FunctionConfig function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var change = function.DefaultSlo;
        if (change?.Enabled == false || (function.Slos ?? []).Any(s => s?.Name == Name))
        {
            return null;
        }

        return new SloConfig
        {
            Name = Name,
            Objective = change?.Objective ?? Objective,
            Window = change?.Window,
            Notify = change?.Notify,
        };
    }
}
